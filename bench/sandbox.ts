// Sandbox figures: (1) start-to-result time of a trivial Python program through a warm pool of
// the bubblewrap executor, beside the same program run bare on the host (the difference is the
// sandbox's overhead); (2) HumanEval's 164 problems x 1 sample through the real runner against
// the in-process simulator, each answer run against its tests in the sandbox. JSON lines; figures
// only, nothing passes or fails on time.
import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { memoryCgroups } from "@/lib/sandbox/cgroup";
import { BwrapExecutor } from "@/lib/sandbox/executors/bwrap";
import { SandboxPool } from "@/lib/sandbox/pool";
import { runAgainstSim } from "@/lib/runner/testing/sim-run";

const RUNS = 40;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// Whether each sandbox gets its own memory cgroup (one more process start per execution).
const memory_cgroup = memoryCgroups().unavailable === null;
const load = () => +os.loadavg()[0].toFixed(2);

const executor = new BwrapExecutor();
const missing = await executor.unavailable();
if (missing !== null) {
  console.log(JSON.stringify({ bench: "sandbox", skipped: missing }));
  process.exit(0);
}

const pool = new SandboxPool(executor, 2);
await (await pool.acquire()).release(); // the pool is warm: its slots' sessions are open
const sandboxed: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  const lease = await pool.acquire();
  const result = await lease.exec({ argv: ["python3", "-c", "print(1)"] });
  sandboxed.push(performance.now() - t0);
  await lease.release();
  if (result.stdout !== "1\n") throw new Error(`the trivial program failed in the sandbox: ${result.stderr}`);
}
await pool.close();
const bare: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  spawnSync("/usr/bin/python3", ["-c", "print(1)"]);
  bare.push(performance.now() - t0);
}
console.log(JSON.stringify({ bench: "sandbox", measure: "trivial_python_start_to_result", executor: "bwrap", warm_pool: true, runs: RUNS, median_ms: +median(sandboxed).toFixed(1), bare_python_median_ms: +median(bare).toFixed(1), overhead_ms: +(median(sandboxed) - median(bare)).toFixed(1), target_ms: 150, memory_cgroup, cores: os.cpus().length, load_average: load() }));

const t0 = performance.now();
const { outcomes, sim } = await runAgainstSim({ tasks: ["humaneval"], data: { "*": path.resolve(import.meta.dirname, "..", "..", "shared", "data", "humaneval") }, overrides: ["harness.cache=false"] }, { checkpoints: [{ name: "bench", accuracy: 0.7 }] });
const seconds = (performance.now() - t0) / 1000;
await sim.close();
const { manifest } = outcomes[0];
console.log(JSON.stringify({ bench: "sandbox", measure: "humaneval_164x1", seconds: +seconds.toFixed(2), target_s: 60, done: manifest.counts.done, errored: manifest.counts.errored, pass_at_1: manifest.metrics["pass@1"].value, memory_cgroup, cores: os.cpus().length, load_average: load() }));
