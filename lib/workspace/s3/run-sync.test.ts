import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parquetReadObjects } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3Objects } from "@/lib/s3/objects";
import { startS3Server, type S3Server } from "@/lib/s3/testing/s3-server";
import { simQuestions } from "@/lib/sim/from-plan";
import { startSim, type SimServer } from "@/lib/sim/server";
import { HARNESS_PRESETS } from "@/lib/runner/harness";
import { planTask } from "@/lib/runner/plan";
import { resolveTask } from "@/lib/runner/registry";
import { SHARED_DATA } from "@/lib/runner/testing/sim-run";
import "@/lib/runner/tasks";
import { RunWriter } from "../run-writer";
import { newRun, record, tempWorkspace } from "../testing/fixtures";
import { S3RunSync } from "./run-sync";
import { listRuns } from "@/lib/catalog/list";
import { runRecordsBuffer } from "../store";
import { JOURNAL_FILE, RECORDS_FILE, runDir } from "../paths";

const bin = path.resolve("bin", "evalbench.mjs");
const data = path.join(SHARED_DATA, "gsm8k");
const LIMIT = 800;
const BUCKET = "team-evals";
const WORKSPACE = `s3://${BUCKET}/runs-test`;
let s3: S3Server;
let sim: SimServer;
/** Which writer (machine) asked for each question. */
const requests: { machine: string; id: string }[] = [];
let machine = "";

beforeAll(async () => {
  s3 = await startS3Server([BUCKET]);
  // a killed writer's run can be taken over 5 s after its last renewal
  process.env.EVALBENCH_S3_LEASE_SECONDS = "5";
  const plan = await planTask(resolveTask("gsm8k"), HARNESS_PRESETS.default, { data, cacheDir: path.join(tempWorkspace(), "cache"), limit: LIMIT });
  sim = await startSim({
    checkpoints: [{ name: "m", accuracy: 0.5 }],
    questions: simQuestions([plan]),
    latencyMs: 100,
    onRequest: ({ question }) => question && requests.push({ machine, id: question.id.replace(/^gsm8k\//, "") }),
  });
}, 60_000);

afterAll(async () => {
  await sim?.close();
  s3?.close();
});

interface Child {
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  kill(): void;
}

/**
 * Node with these arguments as a process of another machine: its own host name (a UTS namespace,
 * as root), so a writer there can tell it is not its own. Same pid as the command (exec).
 */
function onOtherHost(host: string, args: string[]): [string, string[]] {
  return ["unshare", ["--uts", "sh", "-c", 'hostname "$0" && exec "$@"', host, process.execPath, ...args]];
}

/** `evalbench run` on the bucket as another machine: its own local cache folder (XDG_CACHE_HOME), and its own host name when `host` is given. */
function evalbenchRun(name: string, extra: string[] = [], workspace = WORKSPACE, host?: string): Child {
  const args = [bin, "run", "-t", "gsm8k", "-m", `openai:${sim.url}`, "--data", data, "--limit", String(LIMIT), "--concurrency", "4", "-o", "harness.cache=false", "-w", workspace, ...extra];
  const env = { ...process.env, XDG_CACHE_HOME: path.join(tempWorkspace(), name) };
  const [command, commandArgs] = host ? onOtherHost(host, args) : [process.execPath, args];
  const child = spawn(command, commandArgs, { stdio: ["ignore", "pipe", "pipe"], env });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
  return { done: new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, stderr }))), kill: () => child.kill("SIGKILL") };
}

const objects = (prefix = "runs-test") => new S3Objects({ bucket: BUCKET, prefix });
const journalBatches = async (prefix = "runs-test", runs = "runs/gsm8k-") => (await objects(prefix).list(runs)).filter((o) => o.key.includes("/records.ndjson.d/"));

/** The questions in a bucket's uploaded journal batches. */
async function uploadedQuestions(prefix: string, runs: string): Promise<Set<string>> {
  const uploaded = new Set<string>();
  for (const batch of await journalBatches(prefix, runs)) for (const line of (await objects(prefix).read(batch.key))!.toString().trim().split("\n")) uploaded.add(JSON.parse(line).instance_id);
  return uploaded;
}

/** Opens a run as a new machine (its own mirror) would. */
function onMachine(runId: string): S3RunSync {
  process.env.XDG_CACHE_HOME = tempWorkspace();
  return new S3RunSync(WORKSPACE, runId);
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("a run written to an S3 workspace (a real s3rver process)", () => {
  it("two writers opening the same new run at the same moment: the second to claim it is refused, and the bucket keeps the first's", async () => {
    const [first, second] = [onMachine("same-id"), onMachine("same-id")];
    await Promise.all([first.pull(), second.pull()]);
    const writers = [first, second].map((sync) => RunWriter.create(sync.local, newRun({ run_id: "same-id" }), { onJournal: sync.onJournal }));
    await first.claim();
    await expect(second.claim()).rejects.toThrow(`run same-id was opened by another writer in s3://${BUCKET}/runs-test/runs/same-id/ at the same moment: this one is refused`);
    writers[0].append(record(1));
    await first.finish(writers[0].finalize());
    const [entry] = (await listRuns(WORKSPACE)).filter((e) => e.run_id === "same-id");
    expect(entry).toMatchObject({ ok: true, status: "complete", manifest: { counts: { done: 1 } } });
    writers[1].end("failed");
  });

  it("uploads each batch as the journal's bytes, in order, with many batches waiting; the bucket's Parquet is the local file byte for byte", async () => {
    const sync = onMachine("many-batches");
    await sync.pull();
    const writer = RunWriter.create(sync.local, newRun({ run_id: "many-batches" }), { batchSize: 7, onJournal: sync.onJournal });
    await sync.claim();
    // 43 batches closed before the event loop turns: all but a few wait for their turn
    for (let i = 0; i < 300; i++) writer.append(record(i, { response: `answer ${i} `.repeat(i % 13) }));
    await sync.finish(writer.finalize());
    const dir = runDir(sync.local, "many-batches");
    const batches = await journalBatches("runs-test", "runs/many-batches/");
    expect(batches).toHaveLength(43);
    const uploaded = Buffer.concat(await Promise.all(batches.map(async (batch) => (await objects().read(batch.key))!)));
    expect(uploaded.equals(fs.readFileSync(path.join(dir, JOURNAL_FILE)))).toBe(true);
    expect((await objects().read(`runs/many-batches/${RECORDS_FILE}`))!.equals(fs.readFileSync(path.join(dir, RECORDS_FILE)))).toBe(true);
  });

  /** Writes `runId` to the bucket in many batches and kills itself (SIGKILL) once the first has landed. */
  async function writeUntilKilled(runId: string, host?: string): Promise<void> {
    const args = ["--import", "tsx", path.resolve("lib/workspace/testing/write-to-bucket-until-killed.ts"), WORKSPACE, runId, "4000", "50"];
    const [command, commandArgs] = host ? onOtherHost(host, args) : [process.execPath, args];
    const child = spawn(command, commandArgs, { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, XDG_CACHE_HOME: tempWorkspace() } });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    const [, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on("exit", (...exit) => resolve(exit)));
    expect(signal, stderr).toBe("SIGKILL");
  }

  it("killed on this machine: --resume here takes the run over at once, without waiting for the dead writer's lease to lapse", async () => {
    const runId = "killed-here";
    await writeUntilKilled(runId);
    const lease = process.env.EVALBENCH_S3_LEASE_SECONDS;
    process.env.EVALBENCH_S3_LEASE_SECONDS = "600";
    try {
      // the lease was renewed a moment ago and holds for 10 minutes, but its writer's process is gone:
      // listed interrupted, and taken over
      expect((await listRuns(WORKSPACE)).find((entry) => entry.run_id === runId)).toMatchObject({ ok: true, status: "interrupted" });
      const sync = onMachine(runId);
      await sync.pull();
      const writer = RunWriter.resume(sync.local, runId, { batchSize: 100, onJournal: sync.onJournal });
      await sync.claim();
      for (let i = 0; i < 4000; i++) if (!writer.recorded.has(`${record(i).instance_id}\u00000`)) writer.append(record(i, { response: "x".repeat(1000) }));
      await sync.finish(writer.finalize());
    } finally {
      process.env.EVALBENCH_S3_LEASE_SECONDS = lease;
    }
    const rows = (await parquetReadObjects({ file: await runRecordsBuffer(WORKSPACE, runId), columns: ["instance_id"] })) as { instance_id: string }[];
    expect(new Set(rows.map((r) => r.instance_id)).size).toBe(4000);
  }, 60_000);

  it("killed with uploads in flight: --resume on another machine keeps every batch that reached the bucket and writes each record once", async () => {
    const runId = "killed-in-flight";
    await writeUntilKilled(runId, "machine-a");
    // killed with most of its 80 batches still waiting or in flight
    const landed = await journalBatches("runs-test", `runs/${runId}/`);
    expect(landed.length).toBeGreaterThan(0);
    expect(landed.length).toBeLessThan(80);
    const uploaded = await uploadedQuestions("runs-test", `runs/${runId}/`);

    const sync = onMachine(runId);
    // refused while the killed writer's lease holds, then taken over
    await until(
      () =>
        sync.pull().then(
          () => true,
          (error: Error) => (/a second writer is refused/.test(error.message) ? false : Promise.reject(error)),
        ),
      "the lease to lapse",
    );
    const writer = RunWriter.resume(sync.local, runId, { batchSize: 100, onJournal: sync.onJournal });
    expect(new Set([...writer.recorded].map((key) => key.split("\u0000")[0]))).toEqual(uploaded);
    await sync.claim();
    for (let i = 0; i < 4000; i++) if (!writer.recorded.has(`${record(i).instance_id}\u00000`)) writer.append(record(i, { response: "x".repeat(1000) }));
    await sync.finish(writer.finalize());
    const rows = (await parquetReadObjects({ file: await runRecordsBuffer(WORKSPACE, runId), columns: ["instance_id"] })) as { instance_id: string }[];
    expect(rows).toHaveLength(4000);
    expect(new Set(rows.map((r) => r.instance_id)).size).toBe(4000);
  }, 60_000);

  it("uploads each closed batch; a second writer is refused; killed mid-run, --resume on another machine finishes it with every question once", async () => {
    machine = "a";
    const first = evalbenchRun("machine-a", [], WORKSPACE, "machine-a");
    await until(async () => (await journalBatches()).length >= 2, "two uploaded batches");

    // the same run id from another machine while the first writes it: refused, nothing touched
    const second = await evalbenchRun("machine-b", ["--resume"]).done;
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/evalbench: run gsm8k-m-[0-9a-f]{6} in s3:\/\/team-evals\/runs-test is being written by machine-a \(pid \d+\), whose lease was renewed \d+ s ago: a second writer is refused; if that writer is gone, --resume takes over once its lease lapses \(5 s\)\n$/);

    first.kill();
    expect((await first.done).signal).toBe("SIGKILL");
    const uploaded = await uploadedQuestions("runs-test", "runs/gsm8k-");
    expect(uploaded.size).toBeGreaterThan(0);
    expect(uploaded.size).toBeLessThan(LIMIT);
    const gsm8k = async () => (await listRuns(WORKSPACE)).filter((e) => e.run_id.startsWith("gsm8k-"));
    const [listed] = await gsm8k();
    // the listing sees the killed writer's lease lapse
    await until(async () => {
      const [entry] = await gsm8k();
      return entry.ok && entry.status === "interrupted";
    }, "the lease to lapse");

    // a new run under the same id is refused, not overwritten
    const again = await evalbenchRun("machine-b").done;
    expect(again.stderr).toContain(`evalbench: run ${listed.run_id} already exists (running, `);
    expect(again.stderr).toContain(`pass --resume to finish it, or delete s3://${BUCKET}/runs-test/runs/${listed.run_id}/ to start over`);

    machine = "b";
    const resumed = await evalbenchRun("machine-b", ["--resume"]).done;
    expect(resumed.stderr).not.toContain("evalbench:");
    expect(resumed.code).toBe(0);
    // machine b asked only for what machine a had not uploaded
    for (const { machine: m, id } of requests) if (m === "b") expect(uploaded.has(id), `question ${id} asked again`).toBe(false);

    const [entry] = await gsm8k();
    expect(entry).toMatchObject({ ok: true, status: "complete", manifest: { counts: { planned: LIMIT, done: LIMIT } } });
    const rows = (await parquetReadObjects({ file: await runRecordsBuffer(WORKSPACE, entry.run_id), columns: ["instance_id", "sample"] })) as { instance_id: string }[];
    expect(rows).toHaveLength(LIMIT);
    expect(new Set(rows.map((r) => r.instance_id)).size).toBe(LIMIT);
    const files = (await objects().list(`runs/${entry.run_id}/`)).map((o) => o.key.split("/").slice(2).join("/"));
    expect(files).toEqual(expect.arrayContaining(["run.json", "records.parquet", "compare.parquet", "lease-000001.json", "lease-000002.json"]));
  }, 180_000);

  it("the S3 server gone mid-run: the run stops with one line naming bucket and endpoint; --resume once it is back asks only what was not uploaded", async () => {
    const prefix = "outage-test";
    const workspace = `s3://${BUCKET}/${prefix}`;
    machine = "c";
    const first = evalbenchRun("machine-c", [], workspace);
    await until(async () => (await journalBatches(prefix)).length >= 2, "two uploaded batches");
    await s3.close();
    const failed = await first.done;
    expect(failed.code).toBe(1);
    // one line, and the run stopped at its next batch, not at its end
    expect(failed.stderr.split("\n").filter((line) => line.startsWith("evalbench:"))).toEqual([
      `evalbench: cannot reach bucket ${BUCKET} at ${s3.url} (connect ECONNREFUSED ${s3.url.replace("http://", "")}): check AWS_ENDPOINT_URL and that the server is up`,
    ]);
    expect(failed.stderr).not.toContain(`${LIMIT}/${LIMIT}`);

    s3 = await startS3Server([BUCKET], s3);
    const uploaded = await uploadedQuestions(prefix, "runs/gsm8k-");
    expect(uploaded.size).toBeGreaterThan(0);
    const gsm8k = async () => (await listRuns(workspace)).filter((e) => e.run_id.startsWith("gsm8k-"));
    // the failed writer could not release its lease: the listing sees it lapse
    await until(async () => {
      const [entry] = await gsm8k();
      return entry.ok && entry.status === "interrupted";
    }, "the lease to lapse");
    machine = "d";
    const resumed = await evalbenchRun("machine-d", ["--resume"], workspace).done;
    expect(resumed.stderr).not.toContain("evalbench:");
    expect(resumed.code).toBe(0);
    for (const { machine: m, id } of requests) if (m === "d") expect(uploaded.has(id), `question ${id} asked again`).toBe(false);
    const [entry] = await gsm8k();
    expect(entry).toMatchObject({ ok: true, status: "complete", manifest: { counts: { planned: LIMIT, done: LIMIT } } });
    const rows = (await parquetReadObjects({ file: await runRecordsBuffer(workspace, entry.run_id), columns: ["instance_id"] })) as { instance_id: string }[];
    expect(rows).toHaveLength(LIMIT);
    expect(new Set(rows.map((r) => r.instance_id)).size).toBe(LIMIT);
  }, 180_000);
});
