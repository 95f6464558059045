/**
 * lib/stats benchmark, in Node and in a headless Chromium Web Worker. Prints one JSON line per
 * measurement (with the 1-minute load average); never asserts on time.
 *   npx tsx bench/stats.ts [--node-only] [--quick] [--reps N] [--only analysis,cluster_bootstrap,...]
 * - analysis: compareRuns without bootstraps (run summaries, SE, CI, clustered SE, McNemar, the
 *   closed-form sign-flip, MDE, unpaired) on 0/1 scores, unclustered and with 500 clusters: median
 *   of --reps calls (default 9) that alternate between two datasets, so no call reuses the previous
 *   one's results. (Continuous scores with more than 20 nonzero differences add the Monte Carlo
 *   sign-flip, measured on its own as sign_flip_mc.)
 * - paired_bootstrap and sign_flip_mc (B = 10,000): one call per path; 'auto' shows which path the
 *   library picks at that size.
 * - cluster_bootstrap (B = 10,000, 500 clusters; always the spec 7.3 loop): one call.
 * The same setup/call source strings run in both environments (timed inside the worker itself).
 */
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import * as stats from "../lib/stats/index";
import { CHROMIUM_PATH, openStatsWorker } from "../lib/stats/testing/browser-harness";

const B = 10000;
const CLUSTERS = 500;
const SIZES = process.argv.includes("--quick") ? [1000, 10000] : [1000, 10000, 100000];
const repsArg = process.argv.indexOf("--reps");
const REPS = repsArg > 0 ? Number(process.argv[repsArg + 1]) : 9;
const onlyArg = process.argv.indexOf("--only");
const selected = (bench: string) => onlyArg < 0 || process.argv[onlyArg + 1].split(",").includes(bench);
type Scores = "binary" | "continuous";
type Path = "reference" | "fast" | "auto";

/** Score of run A or B: 0/1 (A ~ 0.70, B ~ 0.65) or continuous on a 1e-4 grid. */
function scoreSource(scores: Scores, pA: number): string {
  return scores === "binary" ? `(r() < ${pA} ? 1 : 0)` : `Math.round(r() * 1e4) / 1e4`;
}

/** Paired differences d = A - B in canonical order. */
function diffsSource(n: number, scores: Scores): string {
  return `
    const r = stats.mulberry32(12345);
    const d = new Array(${n});
    for (let i = 0; i < ${n}; i++) d[i] = ${scoreSource(scores, 0.7)} - ${scoreSource(scores, 0.65)}${scores === "binary" ? "" : " + 0.01"};
    return d;`;
}

/** Two datasets of two runs each (question ids already in canonical order, as the compare page sends them). */
function runsSource(n: number, scores: Scores, clusters: number): string {
  return `
    const make = (seed) => {
      const r = stats.mulberry32(seed);
      const a = [];
      const b = [];
      for (let i = 0; i < ${n}; i++) {
        const questionId = "q" + String(i).padStart(6, "0");
        const clusterId = ${clusters > 0 ? `"c" + String(i % ${clusters}).padStart(4, "0")` : "undefined"};
        a.push({ questionId, score: ${scoreSource(scores, 0.7)}, clusterId });
        b.push({ questionId, score: ${scoreSource(scores, 0.65)}, clusterId });
      }
      return { a, b };
    };
    return [make(1), make(2)];`;
}

/** d and the cluster index of 500 clusters. */
function clusteredDiffsSource(n: number): string {
  return `${diffsSource(n, "continuous").replace("return d;", "")}
    const ids = Array.from({ length: ${n} }, (_, i) => "c" + String(i % ${CLUSTERS}).padStart(4, "0"));
    return { d, idx: stats.buildClusterIndex(ids) };`;
}

const ANALYSIS_CALL = `
  const ms = [];
  let res;
  for (let k = 0; k < ${REPS}; k++) {
    const { a, b } = input[k % 2];
    const t0 = performance.now();
    res = stats.compareRuns(a, b, { bootstrap: false });
    ms.push(performance.now() - t0);
  }
  ms.sort((x, y) => x - y);
  return { median: ms[ms.length >> 1], min: ms[0], max: ms[ms.length - 1], signFlip: res.paired.signFlip.method };`;

function resamplingCall(bench: string, path: Path): string {
  if (bench === "paired_bootstrap") {
    return `const res = stats.pairedBootstrap(input, { B: ${B}, seed: 1, path: "${path}" });
      return { path: res.path, resampler: res.resampler };`;
  }
  if (bench === "cluster_bootstrap") {
    return `const res = stats.clusterBootstrap(input.d, input.idx, { B: ${B}, seed: 1 });
      return { path: res.path, resampler: res.resampler };`;
  }
  return `const res = stats.signFlipTest(input, { B: ${B}, seed: 1, path: "${path}", forceMonteCarlo: true });
    return { path: res.path };`;
}

interface Timed {
  ms: number;
  value: Record<string, unknown>;
}
type Runner = (setup: string, call: string) => Promise<Timed>;

function runInNode(setup: string, call: string): Timed {
  const input = new Function("stats", setup)(stats);
  const t0 = performance.now();
  const value = new Function("stats", "input", call)(stats, input);
  return { ms: performance.now() - t0, value };
}

const round = (ms: unknown) => Math.round((ms as number) * 10) / 10;
const print = (line: Record<string, unknown>) => console.log(JSON.stringify({ ...line, load1: round(loadavg()[0]) }));

async function runAll(env: string, run: Runner) {
  for (const n of selected("analysis") ? SIZES : []) {
    for (const clusters of [0, CLUSTERS]) {
      const { value } = await run(runsSource(n, "binary", clusters), ANALYSIS_CALL);
      const { median, min, max, signFlip } = value;
      print({ bench: "analysis", env, n, scores: "binary", clusters, reps: REPS, ms_median: round(median), ms_min: round(min), ms_max: round(max), sign_flip: signFlip });
    }
  }
  for (const bench of ["paired_bootstrap", "sign_flip_mc"].filter(selected)) {
    for (const n of SIZES) {
      for (const scores of ["binary", "continuous"] as const) {
        for (const path of ["auto", "fast", "reference"] as const) {
          const { ms, value } = await run(diffsSource(n, scores), resamplingCall(bench, path));
          print({ bench, env, n, scores, B, requested: path, ms: round(ms), ...value });
        }
      }
    }
  }
  for (const n of selected("cluster_bootstrap") ? SIZES : []) {
    const { ms, value } = await run(clusteredDiffsSource(n), resamplingCall("cluster_bootstrap", "reference"));
    print({ bench: "cluster_bootstrap", env, n, scores: "continuous", clusters: CLUSTERS, B, ms: round(ms), ...value });
  }
}

async function main() {
  await runAll("node", async (s, c) => runInNode(s, c));
  if (process.argv.includes("--node-only")) return;
  if (!existsSync(CHROMIUM_PATH)) {
    console.error(`skipping chromium-worker: ${CHROMIUM_PATH} not found`);
    return;
  }
  const session = await openStatsWorker();
  try {
    await runAll("chromium-worker", (s, c) => session.timed(s, c));
  } finally {
    await session.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
