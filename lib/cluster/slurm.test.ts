import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRunRecords } from "@/lib/runner/run-records";
import { readManifest } from "@/lib/workspace/manifest-file";
import { runDir } from "@/lib/workspace/paths";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { listJobs } from "./jobs";
import { cancelJob, jobStates, type ClusterState } from "./slurm";
import { startTestCluster, type TestCluster } from "./testing/slurm-cluster";

/*
 * A real single-node Slurm cluster (Debian's slurm-wlm), started for this file and stopped after
 * it, with `evalbench sim` as the model each job serves.
 */
const bin = path.resolve("bin", "evalbench.mjs");
let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startTestCluster();
  // this process asks Slurm for job states too
  process.env.SLURM_CONF = cluster.conf;
}, 60_000);
afterAll(async () => {
  delete process.env.SLURM_CONF;
  await cluster?.stop();
});

/** A long-running evalbench (the watcher), with its output so far. */
function start(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], { env: cluster.env });
  const out = { stdout: "", stderr: "" };
  child.stdout.on("data", (c: Buffer) => (out.stdout += c));
  child.stderr.on("data", (c: Buffer) => (out.stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { out, stop: async () => (child.kill("SIGTERM"), exited), exited };
}

function evalbench(args: string[], env: NodeJS.ProcessEnv = cluster.env): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c));
    child.stderr.on("data", (c: Buffer) => (stderr += c));
    child.on("exit", (status) => resolve({ status, stdout, stderr }));
  });
}

/** A workspace with a small gsm8k-style data file and checkpoint folders naming the sim model each serves. */
function setUp(questions: number, checkpoints: string[]) {
  const ws = tempWorkspace();
  const data = path.join(ws, "q.jsonl");
  fs.writeFileSync(data, Array.from({ length: questions }, (_, i) => JSON.stringify({ question: `What is ${i} + ${i}?`, answer: `#### ${2 * i}` })).join("\n"));
  const folders = checkpoints.map((name) => {
    const dir = path.join(ws, "ckpt", name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "name"), `olmo-${name}`);
    return dir;
  });
  const task = ["-t", "gsm8k", "--data", data, "-o", "fewshot.n=0", "-w", ws];
  return { ws, data, folders, task };
}

/** `evalbench sim` as the served model: it serves the name written in the checkpoint folder. */
const sim = (data: string, extra = "") => `${process.execPath} ${bin} sim --port {port} --checkpoint "$(cat {checkpoint}/name)=0.6" -t gsm8k --data ${data} -o fewshot.n=0 ${extra}`;

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 90_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

const ENDED: ClusterState[] = ["done", "failed", "cancelled"];
const stateOf = async (id: string) => (await jobStates([id])).get(id);

function journalLines(ws: string, runId: string): number {
  try {
    return fs.readFileSync(path.join(runDir(ws, runId), "records.ndjson"), "utf8").split("\n").filter(Boolean).length;
  } catch {
    return 0;
  }
}

describe("evalbench run --executor slurm on a real single-node cluster", () => {
  it("a 3-checkpoint series becomes one job array; each job serves its checkpoint, runs the task, and is recorded with its log", async () => {
    const { ws, data, folders, task } = setUp(8, ["step100", "step200", "step300"]);
    const series = path.join(ws, "series.txt");
    fs.writeFileSync(series, folders.map((f, i) => `${f} ${(i + 1) * 100}`).join("\n"));
    const out = await evalbench(["run", ...task, "--model-name", "olmo", "--series", series, "--serve", sim(data), "--executor", "slurm", "--partition", cluster.partition, "--time", "10:00"]);
    expect(out.stderr).toBe("");
    expect(out.status).toBe(0);
    const jobs = listJobs(ws);
    expect(jobs.map((j) => [j.checkpoint, j.step])).toEqual([["step100", 100], ["step200", 200], ["step300", 300]]);
    const arrayId = jobs[0].id.split("_")[0];
    expect(jobs.map((j) => j.id)).toEqual([`${arrayId}_0`, `${arrayId}_1`, `${arrayId}_2`]);
    expect(out.stdout).toContain(`submitted 3 job(s) as Slurm array ${arrayId}`);
    const states = await until("the three jobs to end", async () => {
      const s = await jobStates(jobs.map((j) => j.id));
      return jobs.every((j) => ENDED.includes(s.get(j.id)?.state as ClusterState)) && s;
    });
    for (const job of jobs) expect(states.get(job.id), fs.readFileSync(path.join(ws, job.log), "utf8")).toMatchObject({ state: "done", slurm: "COMPLETED" });
    const ended = listJobs(ws);
    for (const [i, job] of ended.entries()) {
      expect(job.runs).toHaveLength(1);
      const manifest = readManifest(runDir(ws, job.runs[0]));
      expect(manifest).toMatchObject({ status: "complete", model: { name: "olmo", checkpoint: `step${(i + 1) * 100}`, step: (i + 1) * 100 }, counts: { planned: 8, done: 8, errored: 0 } });
      // the job's own log and its model server's log are kept in the workspace
      expect(fs.readFileSync(path.join(ws, job.log), "utf8")).toContain(`${job.runs[0]}  complete  gsm8k`);
      expect(fs.readFileSync(path.join(ws, job.serve_log as string), "utf8")).toContain(`olmo-step${(i + 1) * 100} (0.6)`);
    }
  }, 180_000);

  it("a cancelled job ends cancelled, keeping what its run recorded; a job killed mid-run is resumed with every question recorded exactly once", async () => {
    const { ws, data, folders, task } = setUp(60, ["step1", "step2"]);
    const slow = sim(data, "--latency-ms 400");
    const submit = (folder: string, step: number, more: string[] = []) => evalbench(["run", ...task, "--model-name", "olmo", "--checkpoint", folder, "--step", String(step), "--concurrency", "1", "--serve", slow, "--executor", "slurm", ...more]);
    expect((await submit(folders[0], 1)).status).toBe(0);
    expect((await submit(folders[1], 2)).status).toBe(0);
    const [killed, cancelled] = listJobs(ws).sort((a, b) => (a.step as number) - (b.step as number));

    // cancel once its run has recorded something
    const cancelledRun = await until("the second job's run to record", () => listJobs(ws).find((j) => j.id === cancelled.id)?.runs[0]);
    await until("a few records", () => journalLines(ws, cancelledRun) >= 4);
    await cancelJob(cancelled.id);
    expect(await until("the cancel", async () => (await stateOf(cancelled.id))?.state === "cancelled" && true)).toBe(true);
    const kept = await until("the run to end cancelled", () => readManifest(runDir(ws, cancelledRun)).status === "cancelled" && journalLines(ws, cancelledRun));
    expect(kept).toBeGreaterThanOrEqual(4);
    expect(kept).toBeLessThan(60);

    // killed: no chance to end the run, whose manifest still says running
    const runId = await until("the first job's run to record", () => listJobs(ws).find((j) => j.id === killed.id)?.runs[0]);
    await until("a few records", () => journalLines(ws, runId) >= 6);
    await cancelJob(killed.id, { kill: true });
    await until("the kill", async () => ENDED.includes((await stateOf(killed.id))?.state as ClusterState));
    const before = journalLines(ws, runId);
    expect(before).toBeLessThan(60);
    expect(readManifest(runDir(ws, runId)).status).toBe("running");

    const resumed = await submit(folders[0], 1, ["--resume"]);
    expect(resumed.status).toBe(0);
    const again = listJobs(ws).find((j) => j.id !== killed.id && j.id !== cancelled.id) as { id: string };
    await until("the resumed job to end", async () => ENDED.includes((await stateOf(again.id))?.state as ClusterState));
    // exactly once: 60 journal lines, and 60 different questions among them
    expect(journalLines(ws, runId)).toBe(60);
    const records = readRunRecords(ws, runId);
    expect(records).toHaveLength(60);
    expect(new Set(records.map((r) => `${r.instance_id}/${r.sample}`)).size).toBe(60);
    expect(readManifest(runDir(ws, runId))).toMatchObject({ status: "complete", counts: { planned: 60, done: 60, errored: 0 } });
  }, 240_000);

  it("a serve command that exits at once: the job fails with the server's error and the last lines of its log", async () => {
    const { ws, folders, task } = setUp(4, ["step1"]);
    const out = await evalbench(["run", ...task, "--checkpoint", folders[0], "--serve", "echo 'CUDA out of memory' >&2; exit 3; echo {port}", "--executor", "slurm"]);
    expect(out.status).toBe(0);
    const [job] = listJobs(ws);
    expect(await until("the job to fail", async () => ENDED.includes((await stateOf(job.id))?.state as ClusterState) && (await stateOf(job.id)))).toMatchObject({ state: "failed", slurm: "FAILED", reason: "NonZeroExitCode" });
    const log = fs.readFileSync(path.join(ws, job.log), "utf8");
    expect(log).toMatch(/evalbench: the model server \(echo .*\) exited with status 3; last lines of its log .*\/cluster\/logs\/\d+_0\.serve\.log:\n/);
    expect(log).toContain("CUDA out of memory");
  }, 120_000);

  it("bad input: a partition that does not exist, a missing sbatch, a serve command without {port}, a checkpoint folder removed while queued", async () => {
    const { ws, data, folders, task } = setUp(4, ["step1"]);
    const base = ["run", ...task, "--checkpoint", folders[0], "--serve", sim(data), "--executor", "slurm"];
    const partition = await evalbench([...base, "--partition", "nope"]);
    expect(partition.status).toBe(1);
    expect(partition.stderr).toBe("evalbench: sbatch failed: Batch job submission failed: Invalid partition name specified (with --partition=nope)\n");
    const noSlurm = await evalbench(base, { ...cluster.env, PATH: tempWorkspace() });
    expect(noSlurm.stderr).toMatch(/^evalbench: sbatch is not on PATH: --executor slurm needs the Slurm client commands/);
    const noPort = await evalbench(["run", ...task, "--checkpoint", folders[0], "--serve", "vllm serve {checkpoint}", "--executor", "slurm"]);
    expect(noPort.stderr).toMatch(/^evalbench: --serve 'vllm serve \{checkpoint\}' has no \{port\}/);
    expect(listJobs(ws)).toEqual([]);

    // held back a few seconds, long enough to remove its folder
    expect((await evalbench([...base, "--slurm-opt", "begin=now+4"])).status).toBe(0);
    fs.rmSync(folders[0], { recursive: true });
    const [job] = listJobs(ws);
    await until("the job to end", async () => ENDED.includes((await stateOf(job.id))?.state as ClusterState));
    expect(fs.readFileSync(path.join(ws, job.log), "utf8")).toContain(`evalbench: the checkpoint folder ${folders[0]} does not exist (removed after its job was queued?); nothing was run for it`);
    expect(job.runs).toEqual([]);
  }, 120_000);
});

describe("evalbench watch on a real single-node cluster", () => {
  it("submits a new checkpoint folder once it holds its ready file, and after a restart does not submit it again", async () => {
    const { ws, data, task } = setUp(6, []);
    const dir = path.join(ws, "ckpt");
    fs.mkdirSync(dir);
    const args = ["watch", dir, "--pattern", "step{step}", "--ready-file", "done", "--interval", "1", ...task, "--model-name", "olmo", "--serve", sim(data), "--executor", "slurm"];
    const addCheckpoint = (name: string) => {
      fs.mkdirSync(path.join(dir, name));
      fs.writeFileSync(path.join(dir, name, "name"), `olmo-${name}`);
    };
    const first = start(args);
    await until("the watcher to start", () => first.out.stdout.includes("watching"));
    addCheckpoint("step100");
    await new Promise((r) => setTimeout(r, 2500));
    expect(listJobs(ws), "not ready yet: no ready file").toEqual([]);
    fs.writeFileSync(path.join(dir, "step100", "done"), "");
    const [job] = await until("the job", () => listJobs(ws).length > 0 && listJobs(ws));
    expect(job).toMatchObject({ checkpoint: "step100", step: 100 });
    await until("the job to end", async () => ENDED.includes((await stateOf(job.id))?.state as ClusterState));
    expect(first.out.stdout).toContain(`new checkpoint ${path.join(dir, "step100")} (step 100)`);
    expect(await first.stop()).not.toBeNull();

    const second = start(args);
    await until("the watcher to start again", () => second.out.stdout.includes("watching"));
    addCheckpoint("step200");
    fs.writeFileSync(path.join(dir, "step200", "done"), "");
    await until("the second job", () => listJobs(ws).length > 1);
    await new Promise((r) => setTimeout(r, 3000));
    await second.stop();
    expect(listJobs(ws).map((j) => j.step).sort()).toEqual([100, 200]);
    expect(second.out.stdout).not.toContain("step100");
    expect(readManifest(runDir(ws, listJobs(ws).find((j) => j.step === 100)?.runs[0] as string))).toMatchObject({ status: "complete", model: { checkpoint: "step100", step: 100 } });
  }, 180_000);

  it("a pattern that matches none of the folders, or a missing folder, is an error naming it", async () => {
    const { ws, data, task } = setUp(2, ["checkpoint-a"]);
    const dir = path.join(ws, "ckpt");
    const args = (d: string) => ["watch", d, "--pattern", "step*", ...task, "--serve", sim(data), "--executor", "slurm"];
    const none = await evalbench(args(dir));
    expect(none.status).toBe(1);
    expect(none.stderr).toBe(`evalbench: --pattern step* matches none of the 1 folder(s) in ${dir} (checkpoint-a); use a pattern such as 'step*' or 'step{step}'\n`);
    expect((await evalbench(args(path.join(ws, "nope")))).stderr).toMatch(/^evalbench: cannot list .*nope \(ENOENT\): name the folder the trainer writes its checkpoints into\n$/);
    expect((await evalbench(["watch", dir, ...task])).stderr).toBe("evalbench: evalbench watch needs a model server per checkpoint: --serve 'CMD {checkpoint} --port {port}', or a harness preset with serve (harness default has none)\n");
  }, 60_000);
});
