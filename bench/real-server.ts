// The runner against a real llama-server (the tiny test model, 8 slots, one thread): the request
// rate of `evalbench run` at concurrency 8 next to a bare fetch loop sending the same completion
// requests to the same server, in interleaved rounds; and how long the capability probe takes
// before a run starts. Builds llama-server first when it is missing (about 25 minutes, once).
// Prints JSON lines; figures only, nothing passes or fails on time.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launch, prepare, probe, RunConfig } from "@/lib/runner/launch";
import { freePort } from "../real-server/free-port";
import { llamaBin, startLlamaServer, tinyModel } from "../real-server/llama";

// enough requests that opening and finalizing the run (Parquet) weigh little against sending them
const QUESTIONS = Number(process.env.BENCH_QUESTIONS ?? 800);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONCURRENCY = 8;
const MAX_TOKENS = 16;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "evalbench-bench-real-"));
const question = (i: number) => ({ question: `Tom has ${i} apples and buys ${i + 3} more. How many apples does he have?`, answer: `#### ${2 * i + 3}` });
fs.writeFileSync(path.join(dir, "test.jsonl"), Array.from({ length: QUESTIONS }, (_, i) => JSON.stringify(question(i))).join("\n"));

const bin = llamaBin();
// No prompt cache: each loop sends the prompts the other just sent, and must not find them cached.
const server = await startLlamaServer({ bin, model: tinyModel(bin), port: await freePort(), parallel: CONCURRENCY, extra: ["--no-cache-prompt"] });
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fixed = (n: number, digits: number) => +n.toFixed(digits);

try {
  const config = RunConfig.parse({
    tasks: ["gsm8k"],
    model: { endpoint: `openai:${server.url}` },
    data: { "*": dir },
    concurrency: CONCURRENCY,
    overrides: ["format=completion", `sampling.max_tokens=${MAX_TOKENS}`, "harness.cache=false"],
    workspace: dir,
  });
  const prepared = await prepare(config);
  const { plan } = prepared.runs[0];
  const { sampling } = plan.task.config;
  // the body the runner's provider sends for each question
  const bodies = plan.questions.map((pq) => JSON.stringify({ model: "tiny", temperature: sampling.temperature, top_p: sampling.top_p, max_tokens: sampling.max_tokens, ...(sampling.stop.length > 0 ? { stop: sampling.stop } : {}), prompt: pq.prompt }));

  /** The bare loop: the same completion requests, 8 at a time, answers parsed. */
  async function bareLoop(): Promise<number> {
    let next = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < bodies.length) {
          const response = await fetch(`${server.url}/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: bodies[next++] });
          if (!response.ok) throw new Error(`llama-server answered HTTP ${response.status}: ${await response.text()}`);
          await response.json();
        }
      }),
    );
    return (performance.now() - start) / 1000;
  }

  /** One run through the real runner, timed from the run's opening (after the probe) to its finalized manifest. */
  async function runner(round: number): Promise<number> {
    const roundConfig = RunConfig.parse({ ...config, model: { ...config.model, checkpoint: `round-${round}` } });
    let start = performance.now();
    const [outcome] = await launch(roundConfig, prepared, { signal: new AbortController().signal, onStart: () => (start = performance.now()) });
    if (outcome.manifest.counts.errored > 0) throw new Error(`round ${round}: ${outcome.manifest.counts.errored} questions errored`);
    return (performance.now() - start) / 1000;
  }

  // The probe as a run meets it: the model check and the three one-token requests.
  const probeMs: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    await probe(config, prepared, new AbortController().signal);
    probeMs.push(performance.now() - t0);
  }
  console.log(JSON.stringify({ bench: "real-server", mode: "probe", median_ms: fixed(median(probeMs), 1), max_ms: fixed(Math.max(...probeMs), 1), target_ms: 2000, probes: probeMs.length, load_average: fixed(os.loadavg()[0], 2) }));

  // Interleaved rounds: the machine is shared, so each round's ratio compares loops that ran side by side.
  await bareLoop(); // warm up the server's slots and the connection pool
  const timings = { bare_fetch: [] as number[], evalbench_run: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    timings.bare_fetch.push(await bareLoop());
    timings.evalbench_run.push(await runner(round));
  }
  for (const [mode, seconds] of Object.entries(timings)) {
    const rates = seconds.map((s) => QUESTIONS / s);
    console.log(JSON.stringify({ bench: "real-server", mode, requests: QUESTIONS, concurrency: CONCURRENCY, max_tokens: MAX_TOKENS, median_requests_per_s: fixed(median(rates), 1), rounds_requests_per_s: rates.map((r) => fixed(r, 1)) }));
  }
  const ratios = timings.evalbench_run.map((t, i) => timings.bare_fetch[i] / t);
  console.log(JSON.stringify({ bench: "real-server", ratio: fixed(median(ratios), 3), target: 0.95, rounds_ratio: ratios.map((r) => fixed(r, 3)), rounds: ROUNDS, load_average: fixed(os.loadavg()[0], 2) }));
} finally {
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
