// Runner overhead: the request rate of `evalbench run` (SDK, retries, scoring, journal, Parquet)
// against `evalbench sim` at concurrency 64, next to a bare concurrent fetch loop sending the same
// requests to the same simulator. The simulator runs in its own process, as a real server would.
// Prints JSON lines; figures only, nothing passes or fails on time.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launch, prepare, RunConfig } from "@/lib/runner/launch";

const QUESTIONS = Number(process.env.BENCH_QUESTIONS ?? 4000);
const CONCURRENCY = 64;
const PORT = 18000 + Math.floor(Math.random() * 1000);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "evalbench-bench-runner-"));
fs.writeFileSync(
  path.join(dir, "test.jsonl"),
  Array.from({ length: QUESTIONS }, (_, i) => JSON.stringify({ question: `Tom has ${i} apples and buys ${i + 3} more. How many apples does he have? (${i})`, answer: `#### ${2 * i + 3}` })).join("\n"),
);

const sim = spawn(process.execPath, [path.join(import.meta.dirname, "..", "bin", "evalbench.mjs"), "sim", "--port", String(PORT), "--checkpoint", "bench=0.5", "-t", "gsm8k", "--data", dir, "-w", dir], { stdio: ["ignore", "pipe", "inherit"] });
await new Promise<void>((resolve) => sim.stdout!.once("data", () => resolve()));
const url = `http://127.0.0.1:${PORT}/v1`;

const config = RunConfig.parse({ tasks: ["gsm8k"], model: { endpoint: `openai:${url}` }, data: { "*": dir }, concurrency: CONCURRENCY, overrides: ["harness.cache=false"], workspace: dir });
const prepared = await prepare(config);
const { plan } = prepared.runs[0];

/** The bare loop: the chat requests the runner sends, `CONCURRENCY` at a time, answers parsed. */
async function bareFetch(): Promise<number> {
  const bodies = plan.questions.map((pq) => JSON.stringify({ model: "bench", messages: pq.rendered.kind === "chat" ? pq.rendered.messages : [], temperature: 0, top_p: 1, max_tokens: 512 }));
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const response = await fetch(`${url}/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body });
        await response.json();
      }
    }),
  );
  return (performance.now() - start) / 1000;
}

async function runner(round: number): Promise<number> {
  let start = 0;
  let seconds = 0;
  const roundConfig = RunConfig.parse({ ...config, model: { ...config.model, checkpoint: `round-${round}` } });
  await launch(roundConfig, prepared, { signal: new AbortController().signal, onStart: () => (start = performance.now()), onDone: () => (seconds = (performance.now() - start) / 1000) });
  return seconds;
}

// Alternating rounds, best of each: the machine is shared, so a slow round says more about the
// neighbours than about either loop.
await bareFetch(); // warm up the simulator and the connection pool
let fetchSeconds = Infinity;
let runnerSeconds = Infinity;
for (let round = 0; round < 3; round++) {
  fetchSeconds = Math.min(fetchSeconds, await bareFetch());
  runnerSeconds = Math.min(runnerSeconds, await runner(round));
}
const fetchRate = QUESTIONS / fetchSeconds;
const runnerRate = QUESTIONS / runnerSeconds;
console.log(JSON.stringify({ bench: "runner", mode: "bare_fetch", requests: QUESTIONS, concurrency: CONCURRENCY, seconds: +fetchSeconds.toFixed(3), requests_per_s: +fetchRate.toFixed(1) }));
console.log(JSON.stringify({ bench: "runner", mode: "evalbench_run", requests: QUESTIONS, concurrency: CONCURRENCY, seconds: +runnerSeconds.toFixed(3), requests_per_s: +runnerRate.toFixed(1) }));
console.log(JSON.stringify({ bench: "runner", ratio: +(runnerRate / fetchRate).toFixed(3), target: 0.9, rounds: 3, load_average: +os.loadavg()[0].toFixed(2) }));
sim.kill("SIGTERM");
fs.rmSync(dir, { recursive: true, force: true });
