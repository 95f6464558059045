// CLI start-up: whole `evalbench` processes, as a user runs them, through `npx evalbench` and
// through node_modules/.bin/evalbench (no npm in between): `--help`, `ls` of the demo workspace
// (`evalbench demo`, 48 runs) and `compare --json` of two 12,000-question runs (0/1 scores, 20
// subtasks, 120 clusters) written with the real RunWriter. Also the one-off cost of compiling the
// CLI after a source changed. Prints JSON lines, medians of BENCH_REPS repetitions (default 5) with
// every value and the 1-minute load average: wall time, and CPU time (user + system of the process
// and its children), which other work on the machine inflates far less. Figures only: nothing here
// passes or fails on time.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { RunWriter } from "@/lib/workspace/run-writer";
import { benchRun } from "./bench-run";

const REPS = Number(process.env.BENCH_REPS ?? 5);
const QUESTIONS = Number(process.env.BENCH_RECORDS ?? 12_000);
const root = path.join(import.meta.dirname, "..");
const loadAverage = () => +os.loadavg()[0].toFixed(2);
const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor((values.length - 1) / 2)];

function writeRun(workspace: string, runId: string, candidate: boolean): void {
  const writer = RunWriter.create(workspace, benchRun(runId, QUESTIONS, { checkpoint: candidate ? "a" : "b", step: candidate ? 2 : 1 }));
  for (let i = 0; i < QUESTIONS; i++) {
    const right = (i * 7919) % 100 < 62;
    // B is A with a few answers flipped each way, as two checkpoints of one model are
    const score = candidate ? Number(right) : i % 9 === 0 ? 0 : i % 13 === 0 ? 1 : Number(right);
    writer.append({ task: "bench", subtask: `sub${i % 20}`, instance_id: `q${i}`, instance_hash: `h${i}`, cluster_id: `c${Math.floor(i / 100)}`, response: `answer ${i}`, score });
  }
  writer.finalize();
}

/** User + system CPU seconds of this process's finished children (Linux: /proc/self/stat cutime + cstime, in 1/100 s). */
function childrenCpu(): number {
  const fields = fs.readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/** Runs a command to completion; its wall time and CPU time (user + system, its children included) in seconds. */
function timed(command: string, args: string[]): { seconds: number; cpu: number } {
  const cpuBefore = childrenCpu();
  const start = performance.now();
  const result = spawnSync(command, args, { cwd: root, encoding: "utf8" });
  const seconds = (performance.now() - start) / 1000;
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${result.status}: ${result.stderr}`);
  return { seconds, cpu: childrenCpu() - cpuBefore };
}

const demo = fs.mkdtempSync(path.join(os.tmpdir(), "evalbench-bench-cli-demo-"));
const pair = fs.mkdtempSync(path.join(os.tmpdir(), "evalbench-bench-cli-compare-"));
const bin = path.join(root, "node_modules", ".bin", "evalbench");
timed(bin, ["demo", "-w", demo]);
writeRun(pair, "a", true);
writeRun(pair, "b", false);

// a source "changed" (its time touched): the next call compiles the CLI, the one after runs it
const source = path.join(root, "bin", "cli.ts");
const now = new Date();
fs.utimesSync(source, now, now);
const compileLoad = loadAverage();
const compile = timed(bin, ["--help"]).seconds;
console.log(JSON.stringify({ bench: "cli", command: "--help after a source changed (compiles the CLI)", via: "node_modules/.bin/evalbench", seconds: +compile.toFixed(3), load_average_1m: compileLoad }));

const commands: Record<string, string[]> = {
  "--help": ["--help"],
  "ls (demo workspace)": ["ls", "-w", demo],
  [`compare --json (2 x ${QUESTIONS} questions)`]: ["compare", "a", "b", "-w", pair, "--json"],
};
const launchers: Record<string, [string, string[]]> = { "npx evalbench": ["npx", ["evalbench"]], "node_modules/.bin/evalbench": [bin, []] };
for (const [via, [command, prefix]] of Object.entries(launchers)) {
  for (const [name, args] of Object.entries(commands)) {
    const seconds: number[] = [];
    const cpu: number[] = [];
    const loads: number[] = [];
    for (let rep = 0; rep < REPS; rep++) {
      loads.push(loadAverage());
      const run = timed(command, [...prefix, ...args]);
      seconds.push(run.seconds);
      cpu.push(run.cpu);
    }
    const rounded = (values: number[]) => values.map((v) => +v.toFixed(3));
    console.log(JSON.stringify({ bench: "cli", command: name, via, seconds: +median(seconds).toFixed(3), seconds_all: rounded(seconds), cpu_seconds: +median(cpu).toFixed(2), cpu_seconds_all: rounded(cpu), load_average_1m: loads }));
  }
}
fs.rmSync(demo, { recursive: true, force: true });
fs.rmSync(pair, { recursive: true, force: true });
