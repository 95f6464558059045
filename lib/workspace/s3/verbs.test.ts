import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeImports } from "@/lib/importers/write-import";
import { runAgainstSim, SHARED_DATA } from "@/lib/runner/testing/sim-run";
import { S3Objects } from "@/lib/s3/objects";
import { startS3Server, type S3Server } from "@/lib/s3/testing/s3-server";
import { FIXTURES } from "@/lib/importers/testing";
import { evalbench } from "../testing/cli";
import { newRun, record, tempWorkspace } from "../testing/fixtures";
import { writeRunToBucket } from "./write-run";

// import, external, demo, rescore and suites on a bucket workspace, against a real S3 API server
// (s3rver) in its own process: each leaves in the bucket what `run` leaves, and ls/compare/suites
// on the bucket print what they print for the same verbs on a folder.

const BUCKET = "team-evals";
const WORKSPACE = `s3://${BUCKET}/verbs`;
const SECRET = "not-the-S3RVER-secret-5678";
let s3: S3Server;
let folder: string;
let sources: string;
const objects = () => new S3Objects({ bucket: BUCKET, prefix: "verbs" });

beforeAll(async () => {
  s3 = await startS3Server([BUCKET]);
  process.env.XDG_CACHE_HOME = tempWorkspace();
  folder = tempWorkspace();
  // a benchmark's table of 40 answers, as two checkpoints wrote it: the imports to compare
  sources = tempWorkspace();
  for (const [name, right] of [["v1", 3], ["v2", 2]] as const) {
    const rows = Array.from({ length: 40 }, (_, i) => JSON.stringify({ id: `q${i}`, passed: i % right === 0, completion: `answer ${i}`, category: `c${i % 4}` }));
    fs.writeFileSync(path.join(sources, `bench-${name}.jsonl`), `${rows.join("\n")}\n`);
  }
}, 60_000);

afterAll(() => s3?.close());


/** stdout of a command that must succeed. */
async function ok(args: string[]): Promise<string> {
  const result = await evalbench(args);
  expect(result.stderr, args.join(" ")).toBe("");
  expect(result.code, args.join(" ")).toBe(0);
  return result.stdout;
}

type Manifest = Record<string, unknown> & { run_id: string; created_at?: string; updated_at?: string; finished_at?: string; source: { path?: string | null } };

/** ls --json of a workspace, the times of writing left out (the rest, sha256 of the records included, must match). */
async function listed(workspace: string, ids?: (id: string) => boolean): Promise<Manifest[]> {
  const manifests = JSON.parse(await ok(["ls", "--json", "-w", workspace])) as Manifest[];
  return manifests
    .filter((m) => !ids || ids(m.run_id))
    .map(({ created_at, updated_at, finished_at, ...rest }) => (created_at && updated_at && finished_at ? rest : { ...rest, unfinished: true }))
    .sort((a, b) => (a.run_id < b.run_id ? -1 : 1)) as Manifest[];
}

/** The object names of one run in the bucket, its journal batches and lease by kind. */
async function runObjectNames(runId: string): Promise<string[]> {
  const names = (await objects().list(`runs/${runId}/`)).map((o) => o.key.slice(`runs/${runId}/`.length));
  return [...new Set(names.map((n) => n.replace(/^records\.ndjson\.d\/\d+-\d+\.ndjson$/, "records.ndjson.d/BATCH").replace(/^lease-\d+\.json$/, "lease-N.json")))].sort();
}

const TABLE = ["--format", "table", "--id", "id", "--score", "passed", "--response", "completion", "--subtask", "category", "--task", "bench"];
const RUN_OBJECTS = ["compare.parquet", "lease-N.json", "records.ndjson.d/BATCH", "records.parquet", "run.json"];

describe("verbs that write runs, on an S3 workspace", () => {
  it("import: the runs a folder gets, written as run writes them, comparable; imported again, left as they are", async () => {
    const ids: string[] = [];
    for (const name of ["v1", "v2"]) {
      const args = ["import", path.join(sources, `bench-${name}.jsonl`), ...TABLE, "--model-name", "m", "--checkpoint", name, "--json"];
      const toBucket = JSON.parse(await ok([...args, "-w", WORKSPACE])) as { created: string[] };
      expect(JSON.parse(await ok([...args, "-w", folder]))).toEqual(toBucket);
      expect(toBucket.created).toHaveLength(1);
      ids.push(toBucket.created[0]);
    }
    // several runs in one import (olmo-eval: one per task)
    const olmo = JSON.parse(await ok(["import", path.join(FIXTURES, "olmo-eval"), "--json", "-w", WORKSPACE])) as { created: string[] };
    expect(JSON.parse(await ok(["import", path.join(FIXTURES, "olmo-eval"), "--json", "-w", folder]))).toEqual(olmo);
    expect(olmo.created).toHaveLength(2);

    const fromBucket = await listed(WORKSPACE);
    expect(fromBucket.map((m) => [m.run_id, m.status])).toEqual([...ids, ...olmo.created].sort().map((id) => [id, "complete"]));
    expect(fromBucket).toEqual(await listed(folder));
    for (const id of [...ids, ...olmo.created]) expect(await runObjectNames(id), id).toEqual(RUN_OBJECTS);
    const compared = await ok(["compare", ids[1], ids[0], "--json", "-w", WORKSPACE]);
    expect(JSON.parse(compared)).toEqual(JSON.parse(await ok(["compare", ids[1], ids[0], "--json", "-w", folder])));

    const again = await ok(["import", path.join(sources, "bench-v1.jsonl"), ...TABLE, "--model-name", "m", "--checkpoint", "v1", "-w", WORKSPACE]);
    expect(again).toContain(`already imported, left as it is: ${ids[0]}`);
    expect(await listed(WORKSPACE)).toEqual(fromBucket);
  }, 180_000);

  it("external: the command's output imported into the bucket as into a folder", async () => {
    const definition = path.join(tempWorkspace(), "bench.json");
    const script = `import json, os, sys\nwith open(os.path.join(sys.argv[1], "results.jsonl"), "w") as f:\n    for i in range(12):\n        f.write(json.dumps({"id": f"q{i}", "passed": i % 3 == 0, "completion": f"answer {i}"}) + "\\n")\n`;
    fs.writeFileSync(definition, JSON.stringify({ command: ["python3", "-c", script, "{output}"], format: "table", task: "ext", table: { id: "id", score: "passed", response: "completion" } }));
    const args = ["external", definition, "--model-name", "ext-model", "--json"];
    const toBucket = JSON.parse(await ok([...args, "-w", WORKSPACE])) as { created: string[] };
    expect(toBucket.created).toHaveLength(1);
    expect(JSON.parse(await ok([...args, "-w", folder]))).toEqual(toBucket);
    // the output folder is a new temporary one each time: the one thing that differs
    const withoutPath = (ms: Manifest[]) => ms.map((m) => ({ ...m, source: { ...m.source, path: "OUTPUT" } }));
    const [fromBucket] = await listed(WORKSPACE, (id) => id === toBucket.created[0]);
    expect(fromBucket).toMatchObject({ status: "complete", task: { name: "ext" }, counts: { done: 12 } });
    expect(withoutPath([fromBucket])).toEqual(withoutPath(await listed(folder, (id) => id === toBucket.created[0])));
    expect(await runObjectNames(toBucket.created[0])).toEqual(RUN_OBJECTS);
  }, 120_000);

  it("demo and rescore: the same runs as in a folder, the re-scored one comparable with its original; demo again skips them", async () => {
    const demoBucket = await ok(["demo", "--size", "12", "-w", WORKSPACE]);
    expect(demoBucket).toContain(`wrote 48 demo runs to ${WORKSPACE}`);
    await ok(["demo", "--size", "12", "-w", folder]);
    const isDemo = (id: string) => id.startsWith("demo-");
    // the records hold each request's time and latency, so records.parquet differs between any two demos
    const untimed = (m: Manifest) => ({ ...m, records: { ...(m.records as object), bytes: "TIMED", sha256: "TIMED" } });
    const demos = await listed(WORKSPACE, isDemo);
    expect(demos).toHaveLength(48);
    expect(demos.map(untimed)).toEqual((await listed(folder, isDemo)).map(untimed));
    expect(await runObjectNames("demo-gsm8k-step5000")).toEqual(RUN_OBJECTS);
    expect(await ok(["demo", "--size", "12", "-w", WORKSPACE])).toContain("wrote 0 demo runs to s3://team-evals/verbs (48 already there, left as they were)");

    const original = "demo-gsm8k-step20000";
    const rescored: string[] = [];
    for (const workspace of [WORKSPACE, folder]) {
      const line = await ok(["rescore", original, "-w", workspace]);
      expect(line).toMatch(new RegExp(`^${original}\\.rescored-\\d{8}-\\d{6}: exact_match .* \\(was .* in ${original}\\); 0 record\\(s\\) changed score\\n$`));
      rescored.push(line.split(":")[0]);
    }
    const [onBucket] = await listed(WORKSPACE, (id) => id === rescored[0]);
    const [onFolder] = await listed(folder, (id) => id === rescored[1]);
    const plain = (m: object, id: string) => JSON.parse(JSON.stringify(m).replaceAll(id, "RESCORED").replace(/ on \d{4}-[\dT:.-]+Z/, " on TIME"));
    expect(plain(untimed(onBucket), rescored[0])).toEqual(plain(untimed(onFolder), rescored[1]));
    expect(await runObjectNames(rescored[0])).toEqual(RUN_OBJECTS);
    const compared = await ok(["compare", rescored[0], original, "--json", "-w", WORKSPACE]);
    expect(plain(JSON.parse(compared), rescored[0])).toEqual(plain(JSON.parse(await ok(["compare", rescored[1], original, "--json", "-w", folder])), rescored[1]));
  }, 300_000);

  it("suites: a bucket's suite runs aggregated as a folder's, subtask means read from the bucket's journal batches", async () => {
    const data = { gsm8k: path.join(SHARED_DATA, "gsm8k"), bbh: path.join(SHARED_DATA, "bbh") };
    for (const workspace of [WORKSPACE, folder]) {
      const { sim } = await runAgainstSim({ tasks: ["reasoning"], data, limit: 30, workspace, model: { name: "suite-model", checkpoint: "s1" } });
      await sim.close();
    }
    const lines = async (workspace: string) => (await ok(["suites", "-w", workspace])).split(`in ${workspace}:\n`)[1];
    const fromBucket = await lines(WORKSPACE);
    expect(fromBucket).toMatch(/^suite reasoning \(mean_of_means\) suite-model s1: \d+\.\d\d over (gsm8k, bbh|bbh, gsm8k)\n$/);
    expect(fromBucket).toBe(await lines(folder));
  }, 180_000);
});

describe("bad input on an S3 workspace", () => {
  it("a missing bucket, wrong credentials, an unreachable endpoint: one line naming bucket and endpoint, never the secret, nothing written", async () => {
    const before = await objects().list("");
    const source = path.join(sources, "bench-v1.jsonl");
    const verbs = [
      ["import", source, ...TABLE, "--model-name", "bad"],
      ["demo", "--size", "5"],
      ["rescore", "demo-gsm8k-step5000"],
      ["suites"],
    ];
    for (const verb of verbs) {
      const missing = await evalbench([...verb, "-w", "s3://no-such-bucket/x"]);
      expect([missing.code, missing.stderr], verb[0]).toEqual([1, `evalbench: bucket no-such-bucket at ${s3.url} does not exist: create it, or check the bucket name\n`]);
      const refused = await evalbench([...verb, "-w", WORKSPACE], { AWS_ACCESS_KEY_ID: "AKIAWRONGKEY", AWS_SECRET_ACCESS_KEY: SECRET });
      expect([refused.code, refused.stderr], verb[0]).toEqual([1, `evalbench: bucket ${BUCKET} at ${s3.url} refused the credentials (InvalidAccessKeyId): check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE\n`]);
    }
    const unreachable = await evalbench(["import", source, ...TABLE, "--model-name", "bad", "-w", WORKSPACE], { AWS_ENDPOINT_URL: "http://127.0.0.1:1" });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(new RegExp(`^evalbench: cannot reach bucket ${BUCKET} at http://127\\.0\\.0\\.1:1 \\([^\\n]*ECONNREFUSED[^\\n]*\\): check AWS_ENDPOINT_URL and that the server is up\\n$`));
    const notes = path.join(sources, "notes.txt");
    fs.writeFileSync(notes, "hello");
    const badFile = await evalbench(["import", notes, "-w", WORKSPACE]);
    expect([badFile.code, badFile.stderr.split("\n").length]).toEqual([1, 2]);
    expect(badFile.stderr).toMatch(/^evalbench: cannot tell the format of notes\.txt/);
    const noRun = await evalbench(["rescore", "no-such-run", "-w", WORKSPACE]);
    expect([noRun.code, noRun.stderr.split("\n").length]).toEqual([1, 2]);
    expect(noRun.stderr).toMatch(new RegExp(`^evalbench: no run no-such-run in ${WORKSPACE}`));
    expect(await objects().list("")).toEqual(before);
  }, 180_000);

  it("a run that fails while written leaves nothing in the bucket, nor the runs of its import written before it; a run id the bucket holds is refused", async () => {
    const runsBefore = await objects().list("runs/");
    const entriesBefore = await objects().list("index/entries/");
    const importRun = (id: string) => newRun({ run_id: id, source: { kind: "import", tool: "test", path: "x" } });
    const broken = { ...record(2), instance_hash: "" };
    await expect(writeImports(WORKSPACE, [{ run: importRun("good"), records: [record(1)] }, { run: importRun("bad"), records: [record(1), broken] }])).rejects.toThrow(/instance_hash/);
    expect(await objects().list("runs/")).toEqual(runsBefore);
    // nor in the index: listings show neither run, not even as broken
    expect(await objects().list("index/entries/")).toEqual(entriesBefore);

    await writeRunToBucket(WORKSPACE, importRun("taken"), [record(1)]);
    const listed = (JSON.parse(await ok(["ls", "--json", "-w", WORKSPACE])) as { run_id: string }[]).map((run) => run.run_id);
    expect(listed).toContain("taken");
    expect(listed.filter((id) => id === "good" || id === "bad")).toEqual([]);
    const taken = await objects().list("runs/taken/");
    await expect(writeRunToBucket(WORKSPACE, importRun("taken"), [record(1), record(2)])).rejects.toThrow(`run taken already exists in ${WORKSPACE}/runs/taken/; it is left as it is`);
    expect(await objects().list("runs/taken/")).toEqual(taken);
  }, 60_000);

  it("run.json says complete only once records.parquet and compare.parquet are in the bucket", async () => {
    // what the writer sends, in order, through a proxy in front of the S3 server
    const puts: string[] = [];
    const proxy = http.createServer((request, response) => {
      if (request.method === "PUT") puts.push(decodeURIComponent(request.url!.split("?")[0]));
      const upstream = http.request(`${s3.url}${request.url}`, { method: request.method, headers: request.headers }, (answer) => {
        response.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(response);
      });
      request.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const endpoint = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      await writeRunToBucket(WORKSPACE, newRun({ run_id: "ordered", source: { kind: "import", tool: "test", path: "x" } }), [record(1), record(2)]);
    } finally {
      process.env.AWS_ENDPOINT_URL = endpoint;
      proxy.close();
    }
    // each state change is indexed once its run.json is in the bucket
    const names = puts.map((p) => (p.startsWith(`/${BUCKET}/verbs/index/entries/`) ? "index entry" : p.replace(`/${BUCKET}/verbs/runs/ordered/`, "")));
    expect([...names.slice(0, 3), names.slice(3, 6).sort(), ...names.slice(6)]).toEqual(["run.json", "lease-000001.json", "index entry", ["compare.parquet", "records.ndjson.d/000001-000000.ndjson", "records.parquet"], "run.json", "index entry", "lease-000001.json"]);
  }, 60_000);
});
