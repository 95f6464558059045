import fs from "node:fs";
import path from "node:path";
import { parquetReadObjects } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRunRecords } from "@/lib/runner/run-records";
import { S3Objects } from "@/lib/s3/objects";
import { startS3Server, type S3Server } from "@/lib/s3/testing/s3-server";
import type { RunManifest } from "@/lib/schema";
import { runRecordsBuffer } from "@/lib/workspace/store";
import { readManifest } from "@/lib/workspace/manifest-file";
import { runDir } from "@/lib/workspace/paths";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { clusterDirs, clusterRoot, listJobs } from "./jobs";
import { cancelJob, jobStates, type ClusterState } from "./slurm";
import { checkpointSetUp, ended, ENDED, runCli, simServe, startCli, stateOf, until } from "./testing/cli";
import { startTestCluster, type TestCluster } from "./testing/slurm-cluster";
import { statePath } from "./watch";

/*
 * A real single-node Slurm cluster (Debian's slurm-wlm), started for this file and stopped after
 * it, with `evalbench sim` as the model each job serves.
 */
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

const start = (args: string[]) => startCli(args, cluster.env);
const evalbench = (args: string[], env: NodeJS.ProcessEnv = cluster.env) => runCli(args, env);

function journalLines(ws: string, runId: string): number {
  try {
    return fs.readFileSync(path.join(runDir(ws, runId), "records.ndjson"), "utf8").split("\n").filter(Boolean).length;
  } catch {
    return 0;
  }
}

describe("evalbench run --executor slurm on a real single-node cluster", () => {
  it("a 3-checkpoint series becomes one job array; each job serves its checkpoint, runs the task, and is recorded with its log", async () => {
    const { ws, data, folders, task } = checkpointSetUp(8, ["step100", "step200", "step300"]);
    const series = path.join(ws, "series.txt");
    fs.writeFileSync(series, folders.map((f, i) => `${f} ${(i + 1) * 100}`).join("\n"));
    const out = await evalbench(["run", ...task, "--model-name", "olmo", "--series", series, "--serve", simServe(data), "--executor", "slurm", "--partition", cluster.partition, "--time", "10:00"]);
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
    const { ws, data, folders, task } = checkpointSetUp(60, ["step1", "step2"]);
    const slow = simServe(data, "--latency-ms 400");
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
    await until("the kill", () => ended(killed.id));
    const before = journalLines(ws, runId);
    expect(before).toBeLessThan(60);
    expect(readManifest(runDir(ws, runId)).status).toBe("running");

    const resumed = await submit(folders[0], 1, ["--resume"]);
    expect(resumed.status).toBe(0);
    const again = listJobs(ws).find((j) => j.id !== killed.id && j.id !== cancelled.id) as { id: string };
    await until("the resumed job to end", () => ended(again.id));
    // exactly once: 60 journal lines, and 60 different questions among them
    expect(journalLines(ws, runId)).toBe(60);
    const records = readRunRecords(ws, runId);
    expect(records).toHaveLength(60);
    expect(new Set(records.map((r) => `${r.instance_id}/${r.sample}`)).size).toBe(60);
    expect(readManifest(runDir(ws, runId))).toMatchObject({ status: "complete", counts: { planned: 60, done: 60, errored: 0 } });
  }, 240_000);

  it("a serve command that exits at once: the job fails with the server's error and the last lines of its log", async () => {
    const { ws, folders, task } = checkpointSetUp(4, ["step1"]);
    const out = await evalbench(["run", ...task, "--checkpoint", folders[0], "--serve", "echo 'CUDA out of memory' >&2; exit 3; echo {port}", "--executor", "slurm"]);
    expect(out.status).toBe(0);
    const [job] = listJobs(ws);
    expect(await until("the job to fail", async () => (await ended(job.id)) && (await stateOf(job.id)))).toMatchObject({ state: "failed", slurm: "FAILED", reason: "NonZeroExitCode" });
    const log = fs.readFileSync(path.join(ws, job.log), "utf8");
    expect(log).toMatch(/evalbench: the model server \(echo .*\) exited with status 3; last lines of its log .*\/cluster\/logs\/\d+_0\.serve\.log:\n/);
    expect(log).toContain("CUDA out of memory");
  }, 120_000);

  it("bad input: a partition that does not exist, a missing sbatch, a serve command without {port}, a checkpoint folder removed while queued", async () => {
    const { ws, data, folders, task } = checkpointSetUp(4, ["step1"]);
    const base = ["run", ...task, "--checkpoint", folders[0], "--serve", simServe(data), "--executor", "slurm"];
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
    await until("the job to end", () => ended(job.id));
    expect(fs.readFileSync(path.join(ws, job.log), "utf8")).toContain(`evalbench: the checkpoint folder ${folders[0]} does not exist (removed after its job was queued?); nothing was run for it`);
    expect(job.runs).toEqual([]);
  }, 120_000);
});

describe("evalbench watch on a real single-node cluster", () => {
  it("submits a new checkpoint folder once it holds its ready file, and after a restart does not submit it again", async () => {
    const { ws, data, task } = checkpointSetUp(6, []);
    const dir = path.join(ws, "ckpt");
    fs.mkdirSync(dir);
    const args = ["watch", dir, "--pattern", "step{step}", "--ready-file", "done", "--interval", "1", ...task, "--model-name", "olmo", "--serve", simServe(data), "--executor", "slurm"];
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
    await until("the job to end", () => ended(job.id));
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
    const { ws, data, task } = checkpointSetUp(2, ["checkpoint-a"]);
    const dir = path.join(ws, "ckpt");
    const args = (d: string) => ["watch", d, "--pattern", "step*", ...task, "--serve", simServe(data), "--executor", "slurm"];
    const none = await evalbench(args(dir));
    expect(none.status).toBe(1);
    expect(none.stderr).toBe(`evalbench: --pattern step* matches none of the 1 folder(s) in ${dir} (checkpoint-a); use a pattern such as 'step*' or 'step{step}'\n`);
    expect((await evalbench(args(path.join(ws, "nope")))).stderr).toMatch(/^evalbench: cannot list .*nope \(ENOENT\): name the folder the trainer writes its checkpoints into\n$/);
    expect((await evalbench(["watch", dir, ...task])).stderr).toBe("evalbench: evalbench watch needs a model server per checkpoint: --serve 'CMD {checkpoint} --port {port}', or a harness preset with serve (harness default has none)\n");
  }, 60_000);
});

describe("run --executor slurm and watch on a bucket workspace (a real s3rver process)", () => {
  const BUCKET = "lab-evals";
  const WORKSPACE = `s3://${BUCKET}/team`;
  // s3rver checks the access key id only, so the SDK signs with this secret: no file may hold it
  const SECRET = "canary-secret-4f9c1e77";
  let s3: S3Server;
  /** The AWS environment of whoever submits: Slurm passes it to the jobs. */
  let env: NodeJS.ProcessEnv;
  /** This machine's cache (XDG_CACHE_HOME): the bucket's local mirror is under it. */
  let cache: string;

  beforeAll(async () => {
    s3 = await startS3Server([BUCKET]);
    cache = tempWorkspace();
    // a killed job's run can be taken over 3 s after its last lease renewal
    Object.assign(process.env, { AWS_SECRET_ACCESS_KEY: SECRET, XDG_CACHE_HOME: cache, EVALBENCH_S3_LEASE_SECONDS: "3" });
    env = { ...cluster.env, AWS_ENDPOINT_URL: s3.url, AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: SECRET, AWS_REGION: "us-east-1", XDG_CACHE_HOME: cache, EVALBENCH_S3_LEASE_SECONDS: "3" };
  }, 60_000);
  afterAll(() => {
    s3?.close();
    for (const name of ["AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "XDG_CACHE_HOME", "EVALBENCH_S3_LEASE_SECONDS"]) delete process.env[name];
  });

  const objects = () => new S3Objects({ bucket: BUCKET, prefix: "team" });
  const listed = async (environment = env) => JSON.parse((await evalbench(["ls", "--json", "-w", WORKSPACE], environment)).stdout) as RunManifest[];
  /** The journal lines a run's writers uploaded, batch by batch. */
  const uploadedLines = async (runId: string) => {
    const lines: string[] = [];
    for (const batch of await objects().list(`runs/${runId}/records.ndjson.d/`)) lines.push(...(await objects().read(batch.key))!.toString().split("\n").filter(Boolean));
    return lines;
  };
  const newJobs = (before: string[]) => listJobs(WORKSPACE).filter((j) => !before.includes(j.id));
  const ids = () => listJobs(WORKSPACE).map((j) => j.id);

  it("a series runs as Slurm jobs writing to the bucket: both runs complete, ls --json on the bucket lists them, and no script, log, record or object holds the secret", async () => {
    const { ws, data, folders, task } = checkpointSetUp(8, ["step100", "step200"], WORKSPACE);
    const series = path.join(ws, "series.txt");
    fs.writeFileSync(series, folders.map((f, i) => `${f} ${(i + 1) * 100}`).join("\n"));
    const out = await evalbench(["run", ...task, "--model-name", "olmo", "--series", series, "--serve", simServe(data), "--executor", "slurm", "--partition", cluster.partition], env);
    expect(out.stderr).toBe("");
    expect(out.status).toBe(0);
    const jobs = listJobs(WORKSPACE);
    expect(jobs.map((j) => [j.checkpoint, j.step])).toEqual([["step100", 100], ["step200", 200]]);
    for (const job of jobs) await until("the jobs to end", () => ended(job.id));
    for (const job of jobs) expect(await stateOf(job.id), fs.readFileSync(path.join(clusterRoot(WORKSPACE), job.log), "utf8")).toMatchObject({ state: "done" });

    const done = listJobs(WORKSPACE);
    const runs = (await listed()).filter((m) => done.some((j) => j.runs.includes(m.run_id)));
    expect(runs.map((m) => [m.model.checkpoint, m.status, m.counts.done]).sort()).toEqual([["step100", "complete", 8], ["step200", "complete", 8]]);
    for (const job of done) {
      // the job's log and its model server's, in this machine's mirror of the bucket, where the app reads them
      expect(fs.readFileSync(path.join(clusterRoot(WORKSPACE), job.log), "utf8")).toContain(`${job.runs[0]}  complete  gsm8k`);
      expect(fs.readFileSync(path.join(clusterRoot(WORKSPACE), job.serve_log as string), "utf8")).toContain(`olmo-${job.checkpoint} (0.6)`);
      expect((await objects().list(`runs/${job.runs[0]}/`)).map((o) => o.key.split("/").at(-1))).toEqual(expect.arrayContaining(["run.json", "records.parquet", "compare.parquet"]));
    }

    // the secret went along in the jobs' environment (they wrote to the bucket) and nowhere else
    const scripts = fs.readdirSync(clusterDirs(WORKSPACE).scripts).map((name) => fs.readFileSync(path.join(clusterDirs(WORKSPACE).scripts, name), "utf8"));
    expect(scripts.join("\n")).toContain(`'--workspace=${WORKSPACE}'`);
    const files = fs.readdirSync(cache, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
    expect(files.filter((f) => f.endsWith(".log")).length).toBeGreaterThanOrEqual(4);
    for (const file of files) expect(fs.readFileSync(file, "latin1").includes(SECRET), file).toBe(false);
    for (const object of await objects().list("")) expect((await objects().read(object.key))!.toString("latin1").includes(SECRET), object.key).toBe(false);
  }, 180_000);

  it("a job killed mid-run is resumed from the bucket by a job with another mirror, at once (its writer is gone from this node), every question recorded exactly once", async () => {
    const { data, folders, task } = checkpointSetUp(30, ["step1"], WORKSPACE);
    const submit = (environment: NodeJS.ProcessEnv, more: string[] = []) =>
      evalbench(["run", ...task, "--model-name", "killed", "--checkpoint", folders[0], "--step", "1", "--concurrency", "1", "--serve", simServe(data, "--latency-ms 300"), "--executor", "slurm", ...more], environment);
    const before = ids();
    const submitted = await submit(env);
    expect(submitted.status, submitted.stderr).toBe(0);
    const [job] = newJobs(before);
    const runId = await until("the job's run", () => newJobs(before)[0]?.runs[0]);
    await until("two uploaded batches", async () => (await objects().list(`runs/${runId}/records.ndjson.d/`)).length >= 2);
    await cancelJob(job.id, { kill: true });
    await until("the kill", () => ended(job.id));
    const uploaded = (await uploadedLines(runId)).length;
    expect(uploaded).toBeLessThan(30);
    expect(JSON.parse((await objects().read(`runs/${runId}/run.json`))!.toString()).status).toBe("running");

    // another mirror, nothing of the run in it; on this node the killed writer's process is seen gone, so the job takes the run over without waiting for its lease
    const other = { ...env, XDG_CACHE_HOME: tempWorkspace() };
    const resumed = await submit(other, ["--resume"]);
    expect(resumed.status, resumed.stderr).toBe(0);
    const id = /^(\d+_\d+)\s+queued/m.exec(resumed.stdout)![1];
    await until("the resumed job to end", () => ended(id));
    expect(await stateOf(id)).toMatchObject({ state: "done" });

    const [manifest] = (await listed()).filter((m) => m.run_id === runId);
    expect(manifest).toMatchObject({ status: "complete", counts: { planned: 30, done: 30, errored: 0 } });
    // exactly once: 30 uploaded journal lines across both writers, 30 different questions
    const lines = await uploadedLines(runId);
    expect(lines).toHaveLength(30);
    expect(new Set(lines.map((l) => JSON.parse(l).instance_id)).size).toBe(30);
    const rows = await parquetReadObjects({ file: await runRecordsBuffer(WORKSPACE, runId), columns: ["instance_id"] });
    expect(rows).toHaveLength(30);
  }, 240_000);

  it("watch on a bucket: a new checkpoint folder's job writes its run to the bucket; a killed watcher restarted submits nothing twice", async () => {
    const { ws, data, task } = checkpointSetUp(6, [], WORKSPACE);
    const dir = path.join(ws, "ckpt");
    fs.mkdirSync(dir);
    const args = ["watch", dir, "--pattern", "step{step}", "--ready-file", "done", "--interval", "1", ...task, "--model-name", "watched", "--serve", simServe(data), "--executor", "slurm"];
    const addCheckpoint = (name: string) => {
      fs.mkdirSync(path.join(dir, name));
      fs.writeFileSync(path.join(dir, name, "name"), `olmo-${name}`);
      fs.writeFileSync(path.join(dir, name, "done"), "");
    };
    const before = ids();
    const first = startCli(args, env);
    await until("the watcher to start", () => first.out.stdout.includes("watching") || first.out.stderr);
    expect(first.out.stderr).toBe("");
    // its state is in this machine's mirror of the bucket, beside the watched folder's other watchers
    expect(first.out.stdout).toContain(`(state ${statePath(WORKSPACE, dir, "step{step}")})`);
    expect(statePath(WORKSPACE, dir, "step{step}").startsWith(cache)).toBe(true);
    addCheckpoint("step700");
    const [job] = await until("the job", () => newJobs(before).length > 0 && newJobs(before));
    expect(job).toMatchObject({ checkpoint: "step700", step: 700 });
    await until("the job to end", () => ended(job.id));
    const run = await until("the run listed complete from the bucket", async () => (await listed()).find((m) => m.model.name === "watched" && m.status === "complete"));
    expect(run).toMatchObject({ model: { checkpoint: "step700", step: 700 }, counts: { planned: 6, done: 6 } });
    expect(await first.kill()).toBeNull();

    const second = startCli(args, env);
    await until("the watcher to start again", () => second.out.stdout.includes("watching"));
    addCheckpoint("step800");
    await until("the second job", () => newJobs(before).length > 1);
    await new Promise((r) => setTimeout(r, 3000));
    await second.stop();
    expect(newJobs(before).map((j) => j.step).sort()).toEqual([700, 800]);
    expect(second.out.stdout).not.toContain("step700");
  }, 180_000);

  it("bad input: a missing bucket or an unreachable endpoint is one line naming bucket and endpoint, never the secret, and nothing is submitted", async () => {
    const { ws, data, folders, task } = checkpointSetUp(2, ["step1"], "s3://no-such-bucket/x");
    const before = ids();
    const missing = await evalbench(["run", ...task, "--checkpoint", folders[0], "--serve", simServe(data), "--executor", "slurm"], env);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(`evalbench: bucket no-such-bucket at ${s3.url} does not exist: create it, or check the bucket name\n`);
    expect(listJobs("s3://no-such-bucket/x")).toEqual([]);
    const watched = ["watch", path.join(ws, "ckpt"), "--pattern", "step{step}", ...task.slice(0, -1), WORKSPACE, "--serve", simServe(data), "--executor", "slurm"];
    const unreachable = await evalbench(watched, { ...env, AWS_ENDPOINT_URL: "http://127.0.0.1:1" });
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr).toMatch(/^evalbench: cannot reach bucket lab-evals at http:\/\/127\.0\.0\.1:1 \(.*\): check AWS_ENDPOINT_URL and that the server is up\n$/);
    expect(unreachable.stderr).not.toContain(SECRET);
    expect(ids()).toEqual(before);
  }, 120_000);
});
