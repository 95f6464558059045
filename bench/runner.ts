// Runner overhead: the request rate of `evalbench run` (SDK, retries, scoring, journal, Parquet)
// against `evalbench sim` at concurrency 64, next to a bare concurrent fetch loop sending the same
// requests to the same simulator. The simulator runs in its own process, as a real server would.
// Both loops keep their connections alive with one socket per request in flight (the global
// fetch's pool; the runner's keep-alive agent). Beside them, for honesty about where the time
// goes, a bare loop over the runner's own transport (keepAliveFetch): the runner against it is the
// cost of the SDK, the harness and the writer alone.
// Then the fault target: a 2,000-question run under 20% injected faults, every question scored
// or carrying its error. Prints JSON lines; figures only, nothing passes or fails on time.
// BENCH_PORT pins the simulators' first port (the second gets the next one); default: free ports.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launch, prepare, RunConfig } from "@/lib/runner/launch";
import { keepAliveFetch } from "@/lib/runner/providers/keep-alive-fetch";
import { readRunRecords } from "@/lib/runner/run-records";

const QUESTIONS = Number(process.env.BENCH_QUESTIONS ?? 4000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const FAULT_QUESTIONS = 2000;
const CONCURRENCY = 64;
const PORT = process.env.BENCH_PORT ? Number(process.env.BENCH_PORT) : null;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "evalbench-bench-runner-"));
const question = (i: number) => ({ question: `Tom has ${i} apples and buys ${i + 3} more. How many apples does he have? (${i})`, answer: `#### ${2 * i + 3}` });
fs.writeFileSync(path.join(dir, "test.jsonl"), Array.from({ length: QUESTIONS }, (_, i) => JSON.stringify(question(i))).join("\n"));
const faultData = path.join(dir, "faults");
fs.mkdirSync(faultData);
fs.writeFileSync(path.join(faultData, "test.jsonl"), Array.from({ length: FAULT_QUESTIONS }, (_, i) => JSON.stringify(question(i))).join("\n"));

/** `evalbench sim` in a child process; resolves with its base URL once it listens. */
async function startSim(data: string, port: number | null, extra: string[] = []): Promise<{ url: string; child: ChildProcess }> {
  const args = ["sim", ...(port === null ? [] : ["--port", String(port)]), "--checkpoint", "bench=0.5", "-t", "gsm8k", "--data", data, "-w", dir, ...extra];
  const child = spawn(process.execPath, [path.join(import.meta.dirname, "..", "bin", "evalbench.mjs"), ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const line = await new Promise<string>((resolve) => child.stdout!.once("data", (chunk: Buffer) => resolve(String(chunk))));
  const url = /listening on (\S+):/.exec(line)?.[1];
  if (!url) throw new Error(`evalbench sim did not start: ${line}`);
  return { url, child };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const sim = await startSim(dir, PORT);
const config = RunConfig.parse({ tasks: ["gsm8k"], model: { endpoint: `openai:${sim.url}` }, data: { "*": dir }, concurrency: CONCURRENCY, overrides: ["harness.cache=false"], workspace: dir });
const prepared = await prepare(config);
const { plan } = prepared.runs[0];
const bodies = plan.questions.map((pq) => JSON.stringify({ model: "bench", messages: pq.rendered.kind === "chat" ? pq.rendered.messages : [], temperature: 0, top_p: 1, max_tokens: 512 }));

/** Wall-clock seconds of `work`, and this process's CPU milliseconds (user + system) per request. */
interface Timing {
  seconds: number;
  cpuMs: number;
}

async function timed(work: (setStart: () => void) => Promise<void>): Promise<Timing> {
  let start = performance.now();
  let cpu = process.cpuUsage();
  await work(() => ((start = performance.now()), (cpu = process.cpuUsage())));
  const used = process.cpuUsage(cpu);
  return { seconds: (performance.now() - start) / 1000, cpuMs: (used.user + used.system) / 1000 / QUESTIONS };
}

/** The bare loop: the chat requests the runner sends, `CONCURRENCY` at a time, answers parsed. */
function bareLoop(send: typeof fetch): Promise<Timing> {
  let next = 0;
  return timed(async () => {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++];
          const response = await send(`${sim.url}/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body });
          await response.json();
        }
      }),
    );
  });
}

/** One run of the task through the real runner, timed from the run's opening to its finalized manifest. */
function runner(round: number): Promise<Timing> {
  const roundConfig = RunConfig.parse({ ...config, model: { ...config.model, checkpoint: `round-${round}` } });
  return timed(async (setStart) => {
    await launch(roundConfig, prepared, { signal: new AbortController().signal, onStart: setStart });
  });
}

// Interleaved rounds: the machine is shared, so each round's ratio compares loops that ran side by
// side under the same load; the medians say more than any one round.
const lean = keepAliveFetch();
await bareLoop(fetch); // warm up the simulator and the connection pools
await bareLoop(lean);
const timings = { bare_fetch: [] as Timing[], evalbench_run: [] as Timing[], bare_keep_alive_fetch: [] as Timing[] };
for (let round = 0; round < ROUNDS; round++) {
  timings.bare_fetch.push(await bareLoop(fetch));
  timings.evalbench_run.push(await runner(round));
  timings.bare_keep_alive_fetch.push(await bareLoop(lean));
}
const rate = (t: Timing) => QUESTIONS / t.seconds;
const fixed = (n: number, digits: number) => +n.toFixed(digits);
for (const [mode, rounds] of Object.entries(timings)) {
  const rates = rounds.map(rate);
  console.log(JSON.stringify({ bench: "runner", mode, requests: QUESTIONS, concurrency: CONCURRENCY, median_requests_per_s: fixed(median(rates), 1), rounds_requests_per_s: rates.map((r) => fixed(r, 1)), median_cpu_ms_per_request: fixed(median(rounds.map((t) => t.cpuMs)), 3) }));
}
/** Median over rounds of the runner's rate against a bare loop's in the same round (run side by side). */
const ratioTo = (bare: Timing[]) => timings.evalbench_run.map((t, i) => rate(t) / rate(bare[i]));
console.log(
  JSON.stringify({
    bench: "runner",
    ratio: fixed(median(ratioTo(timings.bare_fetch)), 3),
    target: 0.9,
    rounds_ratio: ratioTo(timings.bare_fetch).map((r) => fixed(r, 3)),
    ratio_to_own_transport: fixed(median(ratioTo(timings.bare_keep_alive_fetch)), 3),
    rounds: ROUNDS,
    load_average: fixed(os.loadavg()[0], 2),
  }),
);
sim.child.kill("SIGTERM");

// The fault target, with the retry policy of the runner's own fault test.
const faulty = await startSim(faultData, PORT === null ? null : PORT + 1, ["--fault-rate", "0.2"]);
const faultConfig = RunConfig.parse({
  tasks: ["gsm8k"],
  model: { endpoint: `openai:${faulty.url}`, checkpoint: "faults" },
  data: { "*": faultData },
  concurrency: CONCURRENCY,
  overrides: ["harness.max_retries=2", "harness.backoff_ms=1", "harness.timeout_ms=5000", "harness.cache=false"],
  workspace: dir,
});
const faultStart = performance.now();
const [outcome] = await launch(faultConfig, await prepare(faultConfig), { signal: new AbortController().signal });
const faultSeconds = (performance.now() - faultStart) / 1000;
faulty.child.kill("SIGTERM");
const records = readRunRecords(dir, outcome.runId);
const errored = records.filter((r) => r.error !== null);
const scored = records.filter((r) => r.error === null && (r.score === 0 || r.score === 1));
const distinct = new Set(records.map((r) => r.instance_id)).size;
console.log(
  JSON.stringify({
    bench: "runner",
    mode: "faults",
    fault_rate: 0.2,
    planned: FAULT_QUESTIONS,
    records: records.length,
    distinct_questions: distinct,
    scored: scored.length,
    errored: errored.length,
    errored_unscored: errored.every((r) => r.score === null),
    lost: FAULT_QUESTIONS - distinct,
    status: outcome.manifest.status,
    seconds: +faultSeconds.toFixed(3),
    load_average: +os.loadavg()[0].toFixed(2),
  }),
);
fs.rmSync(dir, { recursive: true, force: true });
