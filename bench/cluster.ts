// Cluster figures on a real single-node Slurm cluster started here (Debian's slurm-wlm):
// - the watcher: from a checkpoint folder's ready file appearing to its job submitted (target <= 5 s);
// - scheduling overhead per job: from `evalbench run --executor slurm` starting to the job's first
//   request reaching the model (an in-process `evalbench sim`), split at the submission's return.
// Each on a folder workspace and on a bucket one (a real s3rver started here).
// Prints JSON lines with the load average; figures only, nothing passes or fails on time.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { listJobs } from "@/lib/cluster/jobs";
import { jobStates } from "@/lib/cluster/slurm";
import { startTestCluster } from "@/lib/cluster/testing/slurm-cluster";
import { isS3Url } from "@/lib/s3/location";
import { startS3Server } from "@/lib/s3/testing/s3-server";
import { startSim } from "@/lib/sim/server";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const bin = path.join(import.meta.dirname, "..", "bin", "evalbench.mjs");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "evalbench-bench-cluster-"));
const data = path.join(dir, "q.jsonl");
fs.writeFileSync(data, Array.from({ length: 4 }, (_, i) => JSON.stringify({ question: `What is ${i} + ${i}?`, answer: `#### ${2 * i}` })).join("\n"));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () => os.loadavg()[0].toFixed(1);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(probe: () => boolean | Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error("timed out");
    await sleep(20);
  }
}

/** Scheduling overhead: one job at a time against a sim in this process, its runs written to `ws` (a folder or a bucket). */
async function schedulingOverhead(ws: string, env: NodeJS.ProcessEnv): Promise<void> {
  const firstRequest = new Map<string, number>();
  const sim = await startSim({ checkpoints: Array.from({ length: ROUNDS }, (_, i) => ({ name: `bench-${i}`, accuracy: 0.5 })), onRequest: ({ model }) => void (firstRequest.has(model) || firstRequest.set(model, performance.now())) });
  const submitted: number[] = [];
  const toFirst: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    const out = spawnSync(process.execPath, [bin, "run", "-t", "gsm8k", "--data", data, "-o", "fewshot.n=0", "-m", sim.url, "--served-model", `bench-${i}`, "--checkpoint", `c${i}`, "--executor", "slurm", "-w", ws], { env, encoding: "utf8" });
    if (out.status !== 0) throw new Error(out.stderr);
    submitted.push((performance.now() - t0) / 1000);
    await until(() => firstRequest.has(`bench-${i}`));
    toFirst.push(((firstRequest.get(`bench-${i}`) as number) - t0) / 1000);
    const id = listJobs(ws).find((j) => j.checkpoint === `c${i}`)?.id as string;
    await until(async () => (await jobStates([id])).get(id)?.state === "done");
  }
  await sim.close();
  console.log(JSON.stringify({ bench: "cluster", what: "submit to first request, per job (sbatch, Slurm scheduling, evalbench start, endpoint check)", workspace: kind(ws), median_s: +median(toFirst).toFixed(2), max_s: +Math.max(...toFirst).toFixed(2), submit_returns_median_s: +median(submitted).toFixed(2), rounds: ROUNDS, load_1min: load() }));
}

/** The watcher: ready file written -> job recorded as submitted, its runs written to `wws`. */
async function watcherDelay(wws: string, env: NodeJS.ProcessEnv): Promise<void> {
  const ckpts = fs.mkdtempSync(path.join(dir, "ckpts-"));
  const serve = `${process.execPath} ${bin} sim --port {port} --checkpoint "$(cat {checkpoint}/name)=0.5" -t gsm8k --data ${data} -o fewshot.n=0`;
  const watcher = spawn(process.execPath, [bin, "watch", ckpts, "--pattern", "step{step}", "--ready-file", "done", "-t", "gsm8k", "--data", data, "-o", "fewshot.n=0", "--model-name", "bench", "--serve", serve, "--executor", "slurm", "-w", wws], { env, stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve) => watcher.stdout!.on("data", (c: Buffer) => String(c).includes("watching") && resolve()));
  const before = listJobs(wws).length;
  const delays: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const folder = path.join(ckpts, `step${(i + 1) * 100}`);
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, "name"), `bench-${i}`);
    // at a random moment of the scan interval, as a trainer would
    await sleep(Math.random() * 2000);
    const t0 = performance.now();
    fs.writeFileSync(path.join(folder, "done"), "");
    await until(() => listJobs(wws).length === before + i + 1);
    delays.push((performance.now() - t0) / 1000);
  }
  watcher.kill("SIGTERM");
  console.log(JSON.stringify({ bench: "cluster", what: "watcher: checkpoint folder ready to its job submitted (scan every 2 s, then sbatch)", workspace: kind(wws), median_s: +median(delays).toFixed(2), max_s: +Math.max(...delays).toFixed(2), target_s: 5, rounds: ROUNDS, load_1min: load() }));
  for (const job of listJobs(wws)) await until(async () => ["done", "failed", "cancelled"].includes((await jobStates([job.id])).get(job.id)?.state ?? ""));
}

const kind = (ws: string) => (isS3Url(ws) ? "bucket (s3rver)" : "folder");

const cluster = await startTestCluster();
process.env.SLURM_CONF = cluster.conf;
// the same on a bucket: the jobs write their runs to s3rver, their records stay in this machine's mirror
const s3 = await startS3Server(["bench"]);
process.env.XDG_CACHE_HOME = path.join(dir, "cache");
const bucketEnv = { ...cluster.env, ...process.env };
try {
  await schedulingOverhead(path.join(dir, "ws"), cluster.env);
  await schedulingOverhead("s3://bench/runs", bucketEnv);
  await watcherDelay(path.join(dir, "watch-ws"), cluster.env);
  await watcherDelay("s3://bench/watched", bucketEnv);
} finally {
  s3.close();
  await cluster.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
