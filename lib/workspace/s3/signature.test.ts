import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HARNESS_PRESETS } from "@/lib/runner/harness";
import { planTask } from "@/lib/runner/plan";
import { resolveTask } from "@/lib/runner/registry";
import { SHARED_DATA } from "@/lib/runner/testing/sim-run";
import "@/lib/runner/tasks";
import { S3Objects } from "@/lib/s3/objects";
import { startMotoServer, type MotoServer } from "@/lib/s3/testing/moto-server";
import { simQuestions } from "@/lib/sim/from-plan";
import { startSim, type SimServer } from "@/lib/sim/server";
import { evalbench } from "../testing/cli";
import { tempWorkspace } from "../testing/fixtures";

// A known access key with a wrong secret, against an S3 API server that checks SigV4 signatures
// (moto; s3rver checks only the key id): every verb that touches the bucket stops with one line
// naming bucket and endpoint, writes nothing there nor half a run on this machine, and the same
// verbs with the right secret work, so the refusal is the signature's, not a dead server's.

const data = path.join(SHARED_DATA, "gsm8k");
const BUCKET = "team-evals";
const WORKSPACE = `s3://${BUCKET}/signed`;
const WRONG_SECRET = "wrong-secret-never-printed-9876";
let moto: MotoServer;
let sim: SimServer;
let sources: string;
/** A folder workspace with one finished run, to publish into the bucket. */
let folder: string;
let folderRun: string;

beforeAll(async () => {
  moto = await startMotoServer([BUCKET]);
  process.env.XDG_CACHE_HOME = tempWorkspace();
  sources = tempWorkspace();
  const rows = Array.from({ length: 20 }, (_, i) => JSON.stringify({ id: `q${i}`, passed: i % 3 === 0, completion: `answer ${i}` }));
  fs.writeFileSync(path.join(sources, "bench.jsonl"), `${rows.join("\n")}\n`);
  const plan = await planTask(resolveTask("gsm8k"), HARNESS_PRESETS.default, { data, cacheDir: path.join(tempWorkspace(), "cache"), limit: 10 });
  sim = await startSim({ checkpoints: [{ name: "m", accuracy: 0.5 }], questions: simQuestions([plan]) });
  folder = tempWorkspace();
  const imported = await evalbench(["import", path.join(sources, "bench.jsonl"), ...TABLE, "--model-name", "local", "--json", "-w", folder]);
  folderRun = (JSON.parse(imported.stdout) as { created: string[] }).created[0];
}, 120_000);

afterAll(async () => {
  await sim?.close();
  await moto?.close();
});

const TABLE = ["--format", "table", "--id", "id", "--score", "passed", "--response", "completion", "--task", "bench"];

/** The verbs under test, on the bucket workspace (publish: a folder's run to a prefix of the bucket). */
const VERBS: Record<string, () => string[]> = {
  run: () => ["run", "-t", "gsm8k", "-m", `openai:${sim.url}`, "--data", data, "--limit", "10", "-o", "harness.cache=false", "-w", WORKSPACE],
  import: () => ["import", path.join(sources, "bench.jsonl"), ...TABLE, "--model-name", "imported", "-w", WORKSPACE],
  ls: () => ["ls", "-w", WORKSPACE],
  publish: () => ["publish", folderRun, "-w", folder, "--to", `s3://${BUCKET}/viewer`],
};


/** Every object in the bucket, by key, size and modification time. */
const bucketListing = () => new S3Objects({ bucket: BUCKET, prefix: "" }).list("");

/** Every file under a folder, relative to it. */
function filesUnder(dir: string): string[] {
  return fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[]).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))) : [];
}

/** The files of runs in a machine's cache folder, where a bucket's local mirror keeps run journals. */
const runFiles = (cache: string) => filesUnder(cache).filter((file) => file.includes(`${path.sep}runs${path.sep}`));

describe("a known access key with a wrong secret (SigV4 checked by moto)", () => {
  it("with the right secret, run, import, ls and publish --to work against it", async () => {
    const ran = await evalbench(VERBS.run());
    expect(ran.code, ran.stderr).toBe(0);
    // a run keeps its journal in the bucket's local mirror: what a refused one must not leave behind
    expect(runFiles(process.env.XDG_CACHE_HOME!).length).toBeGreaterThan(0);
    const imported = await evalbench(VERBS.import());
    expect(imported.code, imported.stderr).toBe(0);
    const listed = await evalbench([...VERBS.ls(), "--json"]);
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { run_id: string; status: string; model: { name: string } }[]).map((r) => [r.model.name, r.status]).sort()).toEqual([
      ["imported", "complete"],
      ["m", "complete"],
    ]);
    const published = await evalbench(VERBS.publish());
    expect(published.code, published.stderr).toBe(0);
    expect(published.stdout.trim().split("\n").at(-1)).toMatch(new RegExp(`^${moto.url}/${BUCKET}/viewer/`));
    expect((await new S3Objects({ bucket: BUCKET, prefix: "viewer" }).list("index.json")).map((o) => o.key)).toEqual(["index.json"]);
    for (const result of [ran, imported, listed, published]) expect(result.stdout + result.stderr).not.toContain(moto.secretAccessKey);
  }, 180_000);

  it("with a wrong secret, the same verbs each stop with one line naming bucket and endpoint, never the secret, writing nothing in the bucket or on this machine", async () => {
    const before = await bucketListing();
    for (const [verb, args] of Object.entries(VERBS)) {
      const machine = { XDG_CACHE_HOME: tempWorkspace(), TMPDIR: tempWorkspace() };
      const refused = await evalbench(args(), { ...machine, AWS_SECRET_ACCESS_KEY: WRONG_SECRET });
      expect([refused.code, refused.stderr], verb).toEqual([1, `evalbench: bucket ${BUCKET} at ${moto.url} refused the credentials (SignatureDoesNotMatch): check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE\n`]);
      expect(refused.stdout, verb).toBe("");
      // no run journal, records or staged viewer left on this machine
      expect(runFiles(machine.XDG_CACHE_HOME), verb).toEqual([]);
      expect(filesUnder(machine.TMPDIR), verb).toEqual([]);
    }
    expect(await bucketListing()).toEqual(before);
  }, 180_000);
});
