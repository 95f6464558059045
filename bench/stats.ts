/**
 * lib/stats benchmark: paired bootstrap (B = 10,000) and sign-flip Monte Carlo (B = 10,000) at
 * n = 1,000 / 10,000 / 100,000, binary and continuous scores, both resampling paths, in Node and in
 * a headless Chromium Web Worker. Prints one JSON line per measurement; never asserts on time.
 *   npx tsx bench/stats.ts [--node-only] [--quick]
 * The same setup/call source strings run in both environments (timed inside the worker itself).
 */
import { existsSync } from "node:fs";
import * as stats from "../lib/stats/index";
import { CHROMIUM_PATH, openStatsWorker } from "../lib/stats/testing/browser-harness";

const B = 10000;
const SIZES = process.argv.includes("--quick") ? [1000, 10000] : [1000, 10000, 100000];
type Scores = "binary" | "continuous";
type Path = "reference" | "fast";

/** Paired differences: binary scores (A ~ 0.70, B ~ 0.65) or continuous [0,1] scores. */
function setupSource(n: number, scores: Scores): string {
  return `
    const r = stats.mulberry32(12345);
    const d = new Array(${n});
    for (let i = 0; i < ${n}; i++) {
      d[i] = ${scores === "binary" ? "(r() < 0.70 ? 1 : 0) - (r() < 0.65 ? 1 : 0)" : "Math.round(r() * 1e4) / 1e4 - Math.round(r() * 1e4) / 1e4 + 0.01"};
    }
    return d;`;
}

function callSource(bench: string, path: Path): string {
  if (bench === "paired_bootstrap") {
    return `const res = stats.pairedBootstrap(input, { B: ${B}, seed: 1, path: "${path}" });
      return { path: res.path, resampler: res.resampler, ci: res.percentileCi };`;
  }
  return `const res = stats.signFlipTest(input, { B: ${B}, seed: 1, path: "${path}", forceMonteCarlo: true });
    return { path: res.path, p: res.p };`;
}

function runInNode(setup: string, call: string): { ms: number; value: { path: string; resampler?: string } } {
  const input = new Function("stats", setup)(stats);
  const t0 = performance.now();
  const value = new Function("stats", "input", call)(stats, input);
  return { ms: performance.now() - t0, value };
}

type Runner = (setup: string, call: string) => Promise<{ ms: number; value: { path: string; resampler?: string } }>;

async function runAll(env: string, run: Runner) {
  for (const bench of ["paired_bootstrap", "sign_flip_mc"]) {
    for (const n of SIZES) {
      for (const scores of ["binary", "continuous"] as const) {
        for (const path of ["fast", "reference"] as const) {
          const { ms, value } = await run(setupSource(n, scores), callSource(bench, path));
          const line: Record<string, unknown> = { bench, env, n, scores, B, ms: Math.round(ms * 10) / 10, path: value.path };
          if (value.resampler) line.resampler = value.resampler;
          console.log(JSON.stringify(line));
        }
      }
    }
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
