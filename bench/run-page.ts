// Run page load time: a 100,000-question run (1 KB of text per record) written with the real
// RunWriter, served by `next start` on loopback, opened in headless Chromium. Prints JSON lines:
// time to the first rendered question row, cold (fresh browser context) and warm (reload), and
// time until the DuckDB-backed table is ready. Figures only: nothing here passes or fails on time.
// Needs `npm run build` (run here if .next is missing). BENCH_RECORDS overrides the size.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "@playwright/test";
import { RunWriter } from "@/lib/workspace/run-writer";
import { benchRun, prose } from "./bench-run";
import { domProbe, probedMs, withServedWorkspace } from "./page-server";

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const TEXT_BYTES = 1000;
const PORT = Number(process.env.BENCH_PORT ?? 3190);
const RUN_ID = "bench-run-page";

function buildWorkspace(): string {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "evalbench-bench-run-page-"));
  const writer = RunWriter.create(workspace, benchRun(RUN_ID, RECORDS, { checkpoint: "bench-1", step: 1 }));
  for (let i = 0; i < RECORDS; i++) {
    const score = i % 3 === 0 ? 0 : 1;
    writer.append({
      task: "bench",
      subtask: `sub${i % 20}`,
      instance_id: `q${String(i).padStart(6, "0")}`,
      instance_hash: `h${i}`,
      prompt: `Question ${i}: ${prose(i, 300)}`,
      response: prose(i + RECORDS, TEXT_BYTES - 300 - 20),
      target: String(i),
      extracted: String(i),
      score,
      scores: { exact_match: score },
      error: i % 500 === 7 ? "timeout after 60 s" : null,
      input_tokens: 80 + (i % 40),
      output_tokens: 120 + (i % 90),
      latency_ms: 100 + ((i * 37) % 2000),
    });
  }
  writer.finalize();
  return workspace;
}

async function measure(page: Page, load: () => Promise<unknown>) {
  await load();
  await page.locator("[data-testid=question-row]").first().waitFor();
  await page.locator("[data-testid=question-table][data-phase=ready]").waitFor({ timeout: 120_000 });
  await page.locator("[data-testid=subtask-row]").first().waitFor({ timeout: 120_000 });
  // plain data only in the page: tsx's helpers (e.g. __name) do not exist there
  const marks = await page.evaluate(() =>
    Object.fromEntries(performance.getEntriesByType("mark").map((entry) => [entry.name, entry.startTime])),
  );
  const firstRow = await probedMs(page);
  const round = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : Math.round(ms));
  return {
    first_row_ms: round(firstRow),
    first_row_group_read_ms: round(marks["evalbench:first-group-read"]),
    all_index_columns_read_ms: round(marks["evalbench:index-read"]),
    duckdb_started_ms: round(marks["evalbench:duckdb-started"]),
    duckdb_table_ready_ms: round(marks["evalbench:index-in-duckdb"]),
    subtask_scores_shown_ms: round(marks["evalbench:subtasks-shown"]),
  };
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const workspace = buildWorkspace();
  const bytes = fs.statSync(path.join(workspace, "runs", RUN_ID, "records.parquet")).size;
  console.log(JSON.stringify({ bench: "run-page", step: "workspace", records: RECORDS, parquet_bytes: bytes, write_s: +((performance.now() - t0) / 1000).toFixed(2) }));
  await withServedWorkspace(workspace, PORT, async (browser) => {
    const url = `http://127.0.0.1:${PORT}/runs/${RUN_ID}`;
    await (await fetch(url)).text(); // the server's first render warms its module cache, not the browser's
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addInitScript({ content: domProbe("[data-testid=question-row]") });
    const page = await context.newPage();
    const cold = await measure(page, () => page.goto(url, { waitUntil: "commit" }));
    console.log(JSON.stringify({ bench: "run-page", load: "cold", records: RECORDS, ...cold }));
    const warm = await measure(page, () => page.reload({ waitUntil: "commit" }));
    console.log(JSON.stringify({ bench: "run-page", load: "warm", records: RECORDS, ...warm }));

    const scrollStart = Date.now();
    await page.locator(".qscroll").evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await page.locator(`[data-testid=question-row][data-row="${RECORDS - 1}"]`).waitFor();
    const snippetsStart = Date.now();
    const scrolledMs = snippetsStart - scrollStart;
    // the rows in view read their prompt, response and target snippets in a worker
    await page.locator(`[data-testid=question-row][data-row="${RECORDS - 1}"] [data-col=response]:not(:has(span.faint))`).waitFor();
    const snippetsMs = Date.now() - snippetsStart;
    const idSortStart = Date.now();
    const idHeader = page.getByTestId("question-table").getByRole("columnheader", { name: "Question" });
    await idHeader.click();
    await idHeader.click();
    // descending: the last id is the top row once the sort has landed
    await page.waitForFunction((last) => {
      const rows = [...document.querySelectorAll("[data-testid=question-row]")].sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
      return rows[0]?.getAttribute("data-row") === String(last) && Boolean(document.querySelector("[data-testid=table-status]")?.textContent?.includes("questions shown"));
    }, RECORDS - 1);
    const idSortMs = Date.now() - idSortStart;
    const sortStart = Date.now();
    await page.getByRole("columnheader", { name: "Latency" }).click();
    await page.locator("[data-testid=table-status]").filter({ hasText: "questions shown" }).waitFor();
    const sortedMs = Date.now() - sortStart;
    const searchStart = Date.now();
    await page.getByLabel("Search questions").fill("q000123");
    await page.locator("[data-testid=question-table][data-count='1']").waitFor({ timeout: 120_000 });
    console.log(
      JSON.stringify({ bench: "run-page", step: "interact", records: RECORDS, scroll_to_last_row_ms: scrolledMs, snippets_of_rows_in_view_ms: snippetsMs, natural_sort_by_id_twice_ms: idSortMs, sort_by_latency_ms: sortedMs, first_search_incl_text_load_ms: Date.now() - searchStart }),
    );
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
