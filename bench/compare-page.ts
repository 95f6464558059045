// Compare page: two 100,000-question runs (0/1 scores, 20 subtasks, 1,000 clusters) written with
// the real RunWriter, served by `next start` on loopback, opened in headless Chromium. Prints JSON
// lines, medians of BENCH_REPS repetitions (default 3) with the load average: time until the
// headline statistics are on screen, cold (fresh browser context), warm (reload: the page shows
// the report it kept) and warm without the kept reports (reload after deleting them), with the
// page's own marks (analytic figures, bootstraps, question table); then how long a 2x2-cell filter
// and a subtask scope take to re-render table and statistics. Figures only: nothing here passes
// or fails on time. Needs `npm run build` (run here if .next is missing). BENCH_RECORDS overrides
// the size; BENCH_WITHOUT_COMPARE_FILE=1 times runs written before compare.parquet existed.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "@playwright/test";
import { writeComparedRun } from "./bench-run";
import { domProbe, probedMs, withServedWorkspace } from "./page-server";

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const PORT = Number(process.env.BENCH_PORT ?? 3191);
const RUNS = { a: "bench-compare-a", b: "bench-compare-b" };


const REPS = Number(process.env.BENCH_REPS ?? 3);
const median = (values: (number | null)[]) => {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((x, y) => x - y);
  return known.length === 0 ? null : known[Math.floor((known.length - 1) / 2)];
};
/** Each figure's median over the repetitions, with every repetition's value beside it. */
function summarize(samples: Record<string, number | null>[]) {
  const out: Record<string, number | null | (number | null)[]> = {};
  for (const name of Object.keys(samples[0])) {
    out[name] = median(samples.map((s) => s[name]));
    out[`${name}_all`] = samples.map((s) => s[name]);
  }
  return out;
}
const loadAverage = () => +os.loadavg()[0].toFixed(2);

/** One page load: when the headline appears (analytic figures), the question table's data arrives, and the bootstraps land. */
async function measureLoad(page: Page, load: () => Promise<unknown>) {
  await load();
  await page.locator("[data-testid=verdict]").waitFor({ timeout: 120_000 });
  const headline = await probedMs(page);
  await page.locator("[data-testid=headline][aria-busy=false]").waitFor({ timeout: 120_000 });
  await page.locator("[data-testid=compare-table][data-pending=false]").waitFor({ timeout: 120_000 });
  const marks = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType("mark").map((entry) => [entry.name, entry.startTime])));
  const round = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : Math.round(ms));
  return {
    headline_visible_ms: round(headline),
    analytic_received_ms: round(marks["evalbench:compare-stats-analytic"]),
    bootstrap_received_ms: round(marks["evalbench:compare-stats-final"]),
    columns_received_ms: round(marks["evalbench:compare-columns"]),
    rows_received_ms: round(marks["evalbench:compare-rows"]),
    worker_final_ms: Number(((await page.getByTestId("stats-settings").innerText()).match(/(\d+) ms in a worker/) ?? [])[1] ?? NaN),
  };
}

/**
 * Time from an action until the question table and the statistics show its result. `shown_ms`
 * is timed in the page: from the click event to the first frame after the DOM holds the result
 * (`settled`, an expression over `document`, plus the table and headline no longer pending), so
 * Playwright's polling is not counted. `playwright_ms` is the same as Playwright sees it, and
 * `bootstrap_ms` runs until the bootstraps have landed too.
 */
async function timeChange(page: Page, act: () => Promise<void>, settled: string) {
  await page.evaluate((settledExpression) => {
    const isSettled = new Function("document", `return ${settledExpression}`) as (d: Document) => boolean;
    (window as unknown as { __change: Promise<number> }).__change = new Promise<number>((resolve) => {
      let clickedAt: number | null = null;
      addEventListener("click", (event) => (clickedAt = event.timeStamp), { capture: true, once: true });
      const observer = new MutationObserver(() => {
        const shown =
          clickedAt !== null &&
          isSettled(document) &&
          document.querySelector("[data-testid=compare-table][data-pending=false]") !== null &&
          document.querySelector("[data-testid=headline]:not([data-stage=stale])") !== null;
        if (!shown) return;
        observer.disconnect();
        requestAnimationFrame(() => resolve(performance.now() - clickedAt!));
      });
      observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    });
  }, settled);
  const start = Date.now();
  await act();
  const shownMs = await page.evaluate(() => (window as unknown as { __change: Promise<number> }).__change);
  const playwrightMs = Date.now() - start;
  await page.locator("[data-testid=headline][aria-busy=false]").waitFor({ timeout: 120_000 });
  return { shown_ms: Math.round(shownMs), playwright_ms: playwrightMs, bootstrap_ms: Date.now() - start };
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "evalbench-bench-compare-"));
  writeComparedRun(workspace, RUNS.a, RECORDS, true);
  writeComparedRun(workspace, RUNS.b, RECORDS, false);
  console.log(JSON.stringify({ bench: "compare-page", step: "workspace", records_per_run: RECORDS, write_s: +((performance.now() - t0) / 1000).toFixed(2) }));
  await withServedWorkspace(workspace, PORT, async (browser) => {
    const url = `http://127.0.0.1:${PORT}/compare?a=${RUNS.a}&b=${RUNS.b}`;
    await (await fetch(url)).text(); // the server's first render warms its module cache, not the browser's
    const cold: Record<string, number | null>[] = [];
    const warm: Record<string, number | null>[] = [];
    const warmRecomputed: Record<string, number | null>[] = [];
    const interact: Record<string, number | null>[] = [];
    const loads: number[] = [];
    for (let rep = 0; rep < REPS; rep++) {
      // a fresh context is a cold browser cache; a reload in it is warm
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      await context.addInitScript({ content: domProbe("[data-testid=verdict]") });
      const page = await context.newPage();
      loads.push(loadAverage());
      cold.push(await measureLoad(page, () => page.goto(url, { waitUntil: "commit" })));
      warm.push(await measureLoad(page, () => page.reload({ waitUntil: "commit" })));
      // warm again without the reports the page kept (report-store.ts): the runs are read and the statistics computed
      await page.evaluate(() => void indexedDB.deleteDatabase("evalbench-reports"));
      warmRecomputed.push(await measureLoad(page, () => page.reload({ waitUntil: "commit" })));

      const cell = await timeChange(page, () => page.getByTestId("cell-only_a").click(), `document.querySelector("[data-testid=cell-filter]") !== null`);
      const clearCell = await timeChange(page, () => page.getByTestId("cell-filter").click(), `document.querySelector("[data-testid=cell-filter]") === null`);
      // a different subtask each time: the worker keeps reports it has computed
      const subtask = `sub${7 + rep}`;
      const scope = await timeChange(
        page,
        () => page.locator(`[data-testid=task-row][data-subtask=${subtask}]`).click(),
        `document.querySelector("[data-testid=scope]")?.textContent.includes(${JSON.stringify(subtask)})`,
      );
      const unscope = await timeChange(
        page,
        () => page.getByTestId("clear-scope").click(),
        `!document.querySelector("[data-testid=scope]")?.textContent.includes(${JSON.stringify(subtask)})`,
      );
      interact.push({
        cell_filter_ms: cell.shown_ms,
        cell_filter_playwright_ms: cell.playwright_ms,
        clear_cell_filter_ms: clearCell.shown_ms,
        scope_to_subtask_ms: scope.shown_ms,
        scope_to_subtask_playwright_ms: scope.playwright_ms,
        scope_to_subtask_bootstrap_ms: scope.bootstrap_ms,
        clear_scope_ms: unscope.shown_ms,
      });
      await context.close();
    }
    const common = { bench: "compare-page", records_per_run: RECORDS, repetitions: REPS, load_average_1m: loads };
    console.log(JSON.stringify({ ...common, load: "cold", ...summarize(cold) }));
    console.log(JSON.stringify({ ...common, load: "warm", ...summarize(warm) }));
    console.log(JSON.stringify({ ...common, load: "warm, reports not kept", ...summarize(warmRecomputed) }));
    console.log(JSON.stringify({ ...common, step: "interact", ...summarize(interact) }));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
