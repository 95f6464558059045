// Series and matrix pages: a training-run workspace (2 lines x 50 checkpoints x 10 tasks x 5,000
// questions, 5M records, written with the real RunWriter) served by `next start` on loopback and
// opened in headless Chromium; then a matrix of 20 runs x 10,000 questions. Prints JSON lines with
// the load average: medians of BENCH_REPS repetitions (default 3) of a cold load (a fresh server,
// so no run's columns are cached, and a fresh browser context) until the chart with its CI bands,
// the flips, the difference chart and the trajectories are on screen, timed in the page from
// navigation start. Figures only: nothing here passes or fails on time. BENCH_SERIES_CHECKPOINTS,
// BENCH_SERIES_TASKS and BENCH_SERIES_QUESTIONS shrink the workspace.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { writeCheckpointRun } from "./bench-run";
import { coldLoad, withServedWorkspace } from "./page-server";

const CHECKPOINTS = Number(process.env.BENCH_SERIES_CHECKPOINTS ?? 50);
const TASKS = Number(process.env.BENCH_SERIES_TASKS ?? 10);
const QUESTIONS = Number(process.env.BENCH_SERIES_QUESTIONS ?? 5000);
const MATRIX_RUNS = 20;
const MATRIX_QUESTIONS = 10_000;
const PORT = Number(process.env.BENCH_PORT ?? 3193);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const LINES = ["bench-base", "bench-newmix"];

const loadAverage = () => +os.loadavg()[0].toFixed(2);
const median = (values: (number | null)[]) => {
  const known = values.filter((v): v is number => v !== null).sort((x, y) => x - y);
  return known.length === 0 ? null : known[Math.floor((known.length - 1) / 2)];
};

/** One checkpoint's run of line `line` (an index into LINES). */
const writeRun = (workspace: string, runId: string, line: number, task: string, step: number, questions: number) =>
  writeCheckpointRun(workspace, runId, { model: LINES[line], line, task, step, lastStep: CHECKPOINTS * 1000, questions });

/** Each repetition on a fresh server (nothing cached), its modules warmed by one page render first. */
async function measure(name: string, workspace: string, url: string, selectors: Record<string, string>, last: string, extra: Record<string, unknown>): Promise<void> {
  const samples: Record<string, number | null>[] = [];
  const loads: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    await withServedWorkspace(workspace, PORT, async (browser) => {
      await (await fetch(`http://127.0.0.1:${PORT}/series`)).text();
      loads.push(loadAverage());
      samples.push(await coldLoad(browser, url, selectors, last));
    }, { keepWorkspace: true });
  }
  const out: Record<string, unknown> = { bench: name, ...extra, reps: REPS, load_1min: loads };
  for (const key of Object.keys(selectors)) {
    out[`${key}_ms`] = median(samples.map((s) => s[key] ?? null));
    out[`${key}_ms_all`] = samples.map((s) => s[key] ?? null);
  }
  console.log(JSON.stringify(out));
}

/**
 * Each paired part alone on a fresh server (its route's modules warmed by one small request of the
 * same route), as the targets state them: one line's flips, one line's difference against the
 * baseline, one line's trajectories. Timed from the request to the last byte of its JSON.
 */
async function apiCold(workspace: string, query: string, parts: Record<string, string>): Promise<void> {
  const samples: Record<string, number>[] = [];
  const loads: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    const sample: Record<string, number> = {};
    for (const [name, part] of Object.entries(parts)) {
      await withServedWorkspace(workspace, PORT, async () => {
        const route = part.startsWith("trajectories") ? "/api/series/trajectories" : "/api/series";
        await (await fetch(`http://127.0.0.1:${PORT}${route}?line=none&task=none`)).text(); // compiles the route; answers 400
        loads.push(loadAverage());
        const t0 = performance.now();
        const response = await fetch(`http://127.0.0.1:${PORT}${route}?${query}&${part.replace(/^trajectories&?/, "")}`);
        await response.text();
        if (!response.ok) throw new Error(`${route} answered ${response.status}`);
        sample[name] = Math.round(performance.now() - t0);
      }, { keepWorkspace: true });
    }
    samples.push(sample);
  }
  const out: Record<string, unknown> = { bench: "series-api-cold", reps: REPS, load_1min: loads };
  for (const name of Object.keys(parts)) {
    out[`${name}_ms`] = median(samples.map((s) => s[name]));
    out[`${name}_ms_all`] = samples.map((s) => s[name]);
  }
  console.log(JSON.stringify(out));
}

async function main(): Promise<void> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "evalbench-bench-series-"));
  try {
    let t0 = performance.now();
    for (let t = 0; t < TASKS; t++) {
      for (let line = 0; line < LINES.length; line++) {
        for (let c = 1; c <= CHECKPOINTS; c++) writeRun(workspace, `${LINES[line]}-task${t}-step${c * 1000}`, line, `task${t}`, c * 1000, QUESTIONS);
      }
    }
    const records = TASKS * LINES.length * CHECKPOINTS * QUESTIONS;
    console.log(JSON.stringify({ bench: "series-page", step: "workspace", runs: TASKS * LINES.length * CHECKPOINTS, records, write_s: +((performance.now() - t0) / 1000).toFixed(1) }));
    await measure(
      "series-page",
      workspace,
      `http://127.0.0.1:${PORT}/series?line=${LINES[0]}&line=${LINES[1]}&task=task0`,
      { chart: "[data-testid=score-point]", flips: "[data-testid=flip-row]", difference: "[data-testid=difference-point]", trajectories: "[data-testid=trajectory-row]" },
      "[data-testid=trajectory-row]",
      { lines: LINES.length, checkpoints: CHECKPOINTS, tasks: TASKS, questions: QUESTIONS, records },
    );

    await apiCold(workspace, `line=${LINES[0]}&line=${LINES[1]}&task=task0`, {
      flips_one_line: "part=flips&of=0",
      difference_one_line: "part=differences&of=1",
      trajectories_one_line: "trajectories&traj=0",
    });

    const matrix = fs.mkdtempSync(path.join(os.tmpdir(), "evalbench-bench-matrix-"));
    t0 = performance.now();
    for (let c = 1; c <= MATRIX_RUNS; c++) writeRun(matrix, `bench-matrix-step${c * 1000}`, 0, "matrix", c * 1000, MATRIX_QUESTIONS);
    console.log(JSON.stringify({ bench: "matrix-page", step: "workspace", runs: MATRIX_RUNS, questions: MATRIX_QUESTIONS, write_s: +((performance.now() - t0) / 1000).toFixed(1) }));
    try {
      await measure("matrix-page", matrix, `http://127.0.0.1:${PORT}/matrix?task=matrix&line=${LINES[0]}`, { all_pairs: "[data-testid=matrix-cell]" }, "[data-testid=matrix-cell]", { runs: MATRIX_RUNS, pairs: (MATRIX_RUNS * (MATRIX_RUNS - 1)) / 2, questions: MATRIX_QUESTIONS });
    } finally {
      fs.rmSync(matrix, { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

await main();
