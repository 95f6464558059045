import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures/test";
import { MAIN_WORKSPACE } from "./fixtures/paths";
import { HEALTHY_ROWS, INTERRUPTED_ROWS, NATURAL_ID_ROWS, RUNNING_ROWS, RUNS, SEARCH_NEEDLE } from "./fixtures/runs";

const rows = (page: Page) => page.getByTestId("question-row");

/** Opens a run page and waits until DuckDB backs the table (or the page shows an error). */
async function openRun(page: Page, runId: string) {
  await page.goto(`/runs/${runId}`);
  await expect(page.locator("[data-testid=question-table][data-phase=ready], [data-testid=records-error]").first()).toBeVisible({ timeout: 30_000 });
}

/** Texts of one column of the rendered rows, in display order. */
async function columnTexts(page: Page, column: string): Promise<string[]> {
  return rows(page).evaluateAll(
    (els, key) =>
      els
        .map((el) => ({ top: el.getBoundingClientRect().top, text: el.querySelector(`[data-col="${key}"]`)?.textContent ?? "" }))
        .sort((a, b) => a.top - b.top)
        .map((cell) => cell.text),
    column,
  );
}

/** Questions the fixture errors (every 97th from 13): they have no score. */
const erroredRows = (total: number) => Array.from({ length: total }, (_, i) => i).filter((i) => i % 97 === 13).length;

const SCORE = "score";
const SUBTASK = "subtask";
const ERROR = "error";
const LATENCY = "latency_ms";

test.describe("run page", () => {
  test("shows the run's facts and its questions, then the query engine takes over", async ({ page }) => {
    await page.goto(`/runs/${RUNS.a}`);
    await expect(rows(page).first()).toBeVisible();
    await expect(page.getByTestId("run-title")).toHaveText(RUNS.a);
    await expect(page.getByTestId("primary-metric")).toHaveText(/^0\.\d{3} ± 0\.\d{3} \(1 SE(, n = [\d,]+)?\)$/);
    await expect(page.getByTestId("question-table")).toHaveAttribute("data-phase", "ready", { timeout: 30_000 });
    await expect(page.getByTestId("question-table")).toHaveAttribute("data-count", String(HEALTHY_ROWS));
    await expect(page.getByTestId("question-summary")).toContainText(`${HEALTHY_ROWS.toLocaleString("en-US")} questions`);
    // virtualized: a few dozen rows exist in the DOM, not 3,500
    expect(await rows(page).count()).toBeLessThan(100);
  });

  test("the page's HTML already holds the first screen of questions", async ({ request }) => {
    const html = await (await request.get(`/runs/${RUNS.a}`)).text();
    expect(html).toContain('data-testid="question-row"');
    expect(html).toContain("q00000");
  });

  test("scrolls to the last question", async ({ page }) => {
    await openRun(page, RUNS.a);
    await page.locator(".qscroll").evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect(page.locator(`[data-testid=question-row][data-row="${HEALTHY_ROWS - 1}"]`)).toBeVisible();
  });

  test("filters by score, subtask and error", async ({ page }) => {
    await openRun(page, RUNS.a);
    await page.getByLabel("Filter by score").selectOption("zero");
    await expect(page.getByTestId("table-status")).toContainText("questions shown");
    await expect.poll(async () => new Set(await columnTexts(page, SCORE))).toEqual(new Set(["0"]));

    await page.getByLabel("Filter by score").selectOption("any");
    await page.getByLabel("Filter by subtask").selectOption({ label: "geometry (1,167)" });
    await expect.poll(async () => new Set(await columnTexts(page, SUBTASK))).toEqual(new Set(["geometry"]));

    await page.getByLabel("Filter by subtask").selectOption({ index: 0 });
    await page.getByLabel("Filter by error").selectOption("errors");
    await expect
      .poll(async () => {
        const errors = await columnTexts(page, ERROR);
        return errors.length > 0 && errors.every((text) => text.includes("HTTP 503"));
      })
      .toBe(true);
    const count = Number(await page.getByTestId("question-table").getAttribute("data-count"));
    expect(count).toBeGreaterThan(0);
    await expect(page.getByTestId("question-summary")).toContainText(`${count} errors`);
  });

  test("sorts by latency, slowest first", async ({ page }) => {
    await openRun(page, RUNS.a);
    const header = page.getByRole("columnheader", { name: "Latency" });
    await header.click();
    await header.click();
    await expect(header).toHaveAttribute("aria-sort", "descending");
    await expect.poll(async () => (await columnTexts(page, LATENCY))[0]).toBe("999 ms");
  });

  test("text search finds the one response holding a word, and the detail shows it", async ({ page }) => {
    await openRun(page, RUNS.a);
    await page.getByLabel("Search questions").fill(SEARCH_NEEDLE);
    await expect(page.getByTestId("question-table")).toHaveAttribute("data-count", "1", { timeout: 30_000 });
    await rows(page).first().click();
    await expect(page.getByTestId("question-detail")).toContainText("q01234");
    await expect(page.getByTestId("detail-response")).toContainText(SEARCH_NEEDLE);
    await page.getByLabel("Search questions").fill("no such text anywhere");
    await expect(page.getByTestId("no-questions")).toBeVisible();
  });

  test("the detail panel shows prompt, response, target, extracted answer, scores, tokens and latency", async ({ page }) => {
    await openRun(page, RUNS.a);
    await page.locator('[data-testid=question-row][data-row="7"]').click();
    const detail = page.getByTestId("question-detail");
    await expect(page.getByTestId("detail-prompt")).toHaveText("Question 7: what is 7 + 7?");
    await expect(page.getByTestId("detail-response")).toContainText("The answer is");
    await expect(page.getByTestId("detail-target")).toHaveText("14");
    await expect(page.getByTestId("detail-extracted")).toHaveText(/^\d+$/);
    await expect(page.getByTestId("detail-scores")).toContainText("exact_match");
    await expect(page.getByTestId("detail-scores")).toContainText("f1");
    await expect(detail).toContainText("input tokens");
    await expect(detail).toContainText("latency");
    await page.screenshot({ path: "test-results/screens/run-detail.png" });
    // an errored question shows its error
    await page.locator('[data-testid=question-row][data-row="13"]').click();
    await expect(page.getByTestId("detail-error")).toContainText("HTTP 503");
    // arrow keys step through the list
    await page.keyboard.press("ArrowDown");
    await expect(page.getByTestId("detail-prompt")).toHaveText("Question 14: what is 14 + 14?");
  });

  test("an interrupted run shows what was recorded so far", async ({ page }) => {
    await openRun(page, RUNS.interrupted);
    await expect(page.getByTestId("partial-note")).toContainText(`showing the ${INTERRUPTED_ROWS.toLocaleString("en-US")} questions recorded so far`);
    await expect(page.getByTestId("question-table")).toHaveAttribute("data-count", String(INTERRUPTED_ROWS));
  });

  test("a running run's page updates by itself as records arrive", async ({ page }) => {
    await openRun(page, RUNS.running);
    await expect(page.getByTestId("partial-note")).toContainText(`This run is running: showing the ${RUNNING_ROWS} questions recorded so far`);
    await expect(page.getByTestId("partial-note")).toContainText("It updates every");
    await expect(page.getByTestId("question-table")).toHaveAttribute("data-count", String(RUNNING_ROWS));
    // the writer appends a batch to its journal and counts it in the manifest, as a live run does
    const dir = path.join(MAIN_WORKSPACE, "runs", RUNS.running);
    const first = JSON.parse(fs.readFileSync(path.join(dir, "records.ndjson"), "utf8").split("\n")[0]);
    const added = Array.from({ length: 20 }, (_, i) => JSON.stringify({ ...first, instance_id: `late-${i}`, instance_hash: `late-${i}` }));
    fs.appendFileSync(path.join(dir, "records.ndjson"), `${added.join("\n")}\n`);
    const manifestFile = path.join(dir, "run.json");
    const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
    manifest.counts.done = RUNNING_ROWS + added.length;
    manifest.updated_at = new Date().toISOString();
    fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
    // no click: the page reads the run again by itself
    await expect(page.getByTestId("question-table")).toHaveAttribute("data-count", String(RUNNING_ROWS + added.length), { timeout: 30_000 });
    await expect(page.getByTestId("partial-note")).toContainText(`showing the ${RUNNING_ROWS + added.length} questions`);
    await page.getByTestId("question-row").first().click();
    await expect(page.getByTestId("detail-prompt")).toHaveText("Question 0: what is 0 + 0?");
  });

  test("scores by subtask: a table with n, SE and 95% CI beside a chart, agreeing with the run's score", async ({ page }) => {
    await openRun(page, RUNS.a);
    const table = page.getByTestId("subtask-scores");
    await expect(table.getByTestId("subtask-row")).toHaveCount(3);
    await expect(table.locator("thead")).toContainText("95% CI");
    await expect(table.locator("thead")).toContainText("± 1 SE");
    const cells = await table.getByTestId("subtask-row").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")));
    expect(cells.map((c) => c[0])).toEqual(["algebra", "counting", "geometry"]);
    let n = 0;
    let sum = 0;
    for (const [, count, mean, se, ci] of cells) {
      const [lo, hi] = ci.slice(1, -1).split(", ").map(Number);
      expect(lo).toBeLessThan(Number(mean));
      expect(hi).toBeGreaterThan(Number(mean));
      // a normal 95% interval is the mean -/+ 1.96 SE
      expect((hi - lo) / 2).toBeCloseTo(1.96 * Number(se.replace("± ", "")), 2);
      n += Number(count.replace(/,/g, ""));
      sum += Number(count.replace(/,/g, "")) * Number(mean);
    }
    // one sample per question: the question-weighted mean of the subtasks is the run's score
    const overall = (await page.getByTestId("primary-metric").textContent())!.split(" ± ")[0];
    expect((sum / n).toFixed(2)).toBe(Number(overall).toFixed(2));
    expect(n).toBe(HEALTHY_ROWS - erroredRows(HEALTHY_ROWS));
    await expect(page.getByTestId("subtask-chart").locator(".recharts-bar-rectangle")).toHaveCount(3);
    await page.screenshot({ path: "test-results/screens/run-subtasks.png" });
  });

  test("rows show prompt, response and target snippets, with the search's matches marked as text", async ({ page }) => {
    await openRun(page, RUNS.a);
    const row7 = page.locator('[data-testid=question-row][data-row="7"]');
    await expect(row7.locator("[data-col=prompt]")).toHaveText("Question 7: what is 7 + 7?");
    await expect(row7.locator("[data-col=response]")).toHaveText(/^The answer is \d+\.$/);
    await expect(row7.locator("[data-col=target]")).toHaveText("14");
    await page.getByLabel("Search questions").fill(SEARCH_NEEDLE.toUpperCase());
    await expect(page.getByTestId("question-table")).toHaveAttribute("data-count", "1", { timeout: 30_000 });
    await expect(rows(page).first().locator("[data-col=response] mark")).toHaveText(SEARCH_NEEDLE);
    await rows(page).first().click();
    await expect(page.getByTestId("detail-response").locator("mark")).toHaveText(SEARCH_NEEDLE);
    await page.screenshot({ path: "test-results/screens/run-search.png" });

    // model output is text: a search inside an HTML payload marks the words, and no element is made
    await openRun(page, RUNS.xss);
    await page.getByLabel("Search questions").fill("onerror");
    await expect(page.locator("[data-col=response] mark").first()).toHaveText("onerror");
    await expect(page.locator("[data-col=response]").filter({ hasText: "<img src=x" }).first()).toBeVisible();
    await expect(page.locator("main img")).toHaveCount(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  test("each question has an address that opens it", async ({ page }) => {
    await openRun(page, RUNS.a);
    await page.locator('[data-testid=question-row][data-row="7"]').click();
    await expect(page).toHaveURL(/\?q=q00007$/);
    await expect(page.getByTestId("question-link")).toHaveAttribute("href", "?q=q00007");
    // a question far down the list opens and is scrolled into view
    await page.goto(`/runs/${RUNS.a}?q=q03000`);
    await expect(page.getByTestId("detail-prompt")).toHaveText("Question 3000: what is 3000 + 3000?", { timeout: 30_000 });
    await expect(page.locator('[data-testid=question-row][data-row="3000"]')).toBeInViewport();
    await page.getByLabel("Close detail").click();
    await expect(page).toHaveURL(new RegExp(`/runs/${RUNS.a}$`));
    await page.goto(`/runs/${RUNS.a}?q=no-such-question`);
    await expect(page.getByTestId("linked-missing")).toContainText("no-such-question");
  });

  test("ids sort naturally: item-19 before item-180", async ({ page }) => {
    await openRun(page, RUNS.naturalIds);
    const header = page.getByTestId("question-table").getByRole("columnheader", { name: "Question" });
    await header.click();
    await expect.poll(async () => (await columnTexts(page, "instance_id")).slice(0, 5)).toEqual(["item-1", "item-2", "item-3", "item-4", "item-5"]);
    const ascending = await columnTexts(page, "instance_id");
    expect(ascending.indexOf("item-19")).toBe(18);
    await header.click();
    await expect.poll(async () => (await columnTexts(page, "instance_id")).slice(0, 3)).toEqual([`item-${NATURAL_ID_ROWS}`, `item-${NATURAL_ID_ROWS - 1}`, `item-${NATURAL_ID_ROWS - 2}`]);
  });

  test("a corrupt records file gives a clear error, not a crash", async ({ page }) => {
    await openRun(page, RUNS.corrupt);
    await expect(page.getByTestId("records-error")).toContainText(`cannot read the records of run ${RUNS.corrupt}`);
  });

  test("a broken run's page says why it cannot be read", async ({ page }) => {
    await page.goto(`/runs/${RUNS.futureSchema}`);
    await expect(page.getByTestId("run-error")).toContainText("schema_version 99");
    await page.goto(`/runs/${RUNS.truncated}`);
    await expect(page.getByTestId("run-error")).toContainText("truncated");
  });

  test("an unknown run is a 404", async ({ page }) => {
    const response = await page.goto("/runs/no-such-run");
    expect(response?.status()).toBe(404);
  });
});
