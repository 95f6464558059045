import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures/test";
import { HEALTHY_ROWS, INTERRUPTED_ROWS, RUNNING_ROWS, RUNS, SEARCH_NEEDLE } from "./fixtures/runs";

const rows = (page: Page) => page.getByTestId("question-row");

/** Opens a run page and waits until DuckDB backs the table (or the page shows an error). */
async function openRun(page: Page, runId: string) {
  await page.goto(`/runs/${runId}`);
  await expect(page.locator("[data-testid=question-table][data-phase=ready], [data-testid=records-error]").first()).toBeVisible({ timeout: 30_000 });
}

/** Texts of one column (by position) of the rendered rows. */
async function columnTexts(page: Page, index: number): Promise<string[]> {
  return rows(page).evaluateAll((els, i) => els.map((el) => el.children[i]?.textContent ?? ""), index);
}

const SCORE = 4;
const SUBTASK = 2;
const ERROR = 5;
const LATENCY = 8;

test.describe("run page", () => {
  test("shows the run's facts and its questions, then the query engine takes over", async ({ page }) => {
    await page.goto(`/runs/${RUNS.a}`);
    await expect(rows(page).first()).toBeVisible();
    await expect(page.getByTestId("run-title")).toHaveText(RUNS.a);
    await expect(page.getByTestId("primary-metric")).toHaveText(/^0\.\d{3} ± 0\.\d{3}$/);
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

  test("a running run shows its snapshot so far and can be refreshed", async ({ page }) => {
    await openRun(page, RUNS.running);
    await expect(page.getByTestId("partial-note")).toContainText(`This run is running: showing the ${RUNNING_ROWS} questions recorded so far`);
    await expect(page.getByTestId("question-table")).toHaveAttribute("data-count", String(RUNNING_ROWS));
    await page.getByTestId("refresh-run").click();
    await expect(page.getByTestId("question-table")).toHaveAttribute("data-phase", "ready");
    await page.getByTestId("question-row").first().click();
    await expect(page.getByTestId("detail-prompt")).toHaveText("Question 0: what is 0 + 0?");
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
