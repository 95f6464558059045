import type { Browser, Page } from "@playwright/test";
import { encodeView, type CompareViewInput } from "@/lib/share/view-state";
import { compareJson, expectSameAsCli, FIGURES, openCompare, value } from "./fixtures/compare-figures";
import { expect, test } from "./fixtures/test";
import { MAIN_WORKSPACE } from "./fixtures/paths";
import { COMPARE_ROWS, RUNNING_ROWS, RUNS, XSS_PAYLOADS } from "./fixtures/runs";

const SETTINGS = { seed: 7, B: 2000 };
const pair = (view: Partial<CompareViewInput> = {}) => `/compare?${encodeView({ a: RUNS.candidate, b: RUNS.baseline, ...SETTINGS, ...view })}`;

/** `evalbench compare --json`, run as a user would, against the same workspace the server reads. */
const cli = (...args: string[]) => compareJson(MAIN_WORKSPACE, RUNS.candidate, RUNS.baseline, "--seed", String(SETTINGS.seed), "--bootstrap", String(SETTINGS.B), ...args);

/** The question table shows the current view: it comes after the headline, and a search first loads both runs' text into DuckDB. */
const tableReady = (page: Page) => expect(page.getByTestId("compare-table")).toHaveAttribute("data-pending", "false", { timeout: 30_000 });

/** What a person sees: used to check that a link reopens the same view. */
async function visibleState(page: Page) {
  await expect(page.getByTestId("headline")).toHaveAttribute("aria-busy", "false");
  await tableReady(page);
  return {
    // everything but how long this browser's worker took
    headline: (await page.getByTestId("headline").innerText()).replace(/ · \d+ ms in a worker/, ""),
    scope: await page.getByTestId("scope").innerText(),
    search: await page.getByLabel("Search questions").inputValue(),
    pairing: await page.getByLabel("Filter by pairing").inputValue(),
    cell: await page.getByTestId("cell-filter").innerText(),
    seed: await page.getByLabel("Seed").inputValue(),
    rows: await page.getByTestId("compare-row").evaluateAll((els) => els.slice(0, 10).map((el) => el.getAttribute("data-key"))),
    selected: await page.getByTestId("detail-title").innerText(),
    count: await page.getByTestId("question-count").innerText(),
  };
}

/** A fresh browser context, offline-guarded like the fixture's. */
async function freshPage(browser: Browser) {
  const context = await browser.newContext();
  const external: string[] = [];
  await context.route("**/*", (route) => {
    const { hostname } = new URL(route.request().url());
    if (["127.0.0.1", "localhost"].includes(hostname)) return route.continue();
    external.push(route.request().url());
    return route.abort("blockedbyclient");
  });
  return { context, page: await context.newPage(), external };
}

test.describe("compare page", () => {
  test("shows the headline numbers `evalbench compare --json` prints, and the 2x2 table filters the questions", async ({ page }) => {
    const report = cli();
    // worker requests are the context's, not the page's
    const requested: string[] = [];
    page.context().on("request", (request) => requested.push(new URL(request.url()).pathname));
    await openCompare(page, pair());
    await expectSameAsCli(page, report);
    // the candidate is read from its compare.parquet; the baseline has none (an older run) and is read from its records
    expect(requested).toContain(`/api/files/runs/${RUNS.candidate}/compare.parquet`);
    expect(requested).not.toContain(`/api/files/runs/${RUNS.baseline}/compare.parquet`);
    expect(requested).toContain(`/api/runs/${RUNS.baseline}/records`);
    await expect(page.getByTestId("stat-n-only-a")).toContainText("1 only in A");
    await expect(page.getByTestId("stats-settings")).toContainText("seed 7 · B = 2,000");
    await expect(page.getByTestId("compare-table")).toHaveAttribute("data-count", String(COMPARE_ROWS + 1));
    await page.screenshot({ path: "test-results/screens/compare.png", fullPage: true });

    const mcnemar = report.mcnemar!;
    await expect(page.getByTestId("cell-only_a")).toHaveAttribute("data-value", String(mcnemar.b));
    await page.getByTestId("cell-only_a").click();
    await expect(page.getByTestId("compare-table")).toHaveAttribute("data-count", String(mcnemar.b));
    const scores = await page.getByTestId("compare-row").evaluateAll((els) => els.map((el) => `${el.children[4].textContent}/${el.children[6].textContent}`));
    expect(new Set(scores)).toEqual(new Set(["1/0"]));
    await page.getByTestId("cell-only_a").click();
    await expect(page.getByTestId("compare-table")).toHaveAttribute("data-count", String(COMPARE_ROWS + 1));

    // the mismatched question is listed, flagged, and never paired
    await page.getByLabel("Filter by pairing").selectOption("mismatch");
    await expect(page.getByTestId("compare-row")).toHaveCount(1);
    await expect(page.getByTestId("compare-row")).toContainText("hash differs");
  });

  test("a subtask row scopes the whole page, with the CLI's numbers for that scope", async ({ page }) => {
    const report = cli("--task", "arith/beta");
    await openCompare(page, pair());
    await page.locator("[data-testid=task-row][data-subtask=beta]").click();
    await expect(page.getByTestId("scope")).toContainText("beta");
    await expectSameAsCli(page, report);
    await tableReady(page);
    const tasks = await page.getByTestId("compare-row").evaluateAll((els) => els.map((el) => el.children[1].textContent));
    expect(new Set(tasks)).toEqual(new Set(["arith / beta"]));
    await page.getByTestId("clear-scope").click();
    await expect(page.getByTestId("scope")).toHaveText(/all tasks/);
  });

  test("moves through questions with the keyboard and diffs the two responses", async ({ page }) => {
    await openCompare(page, pair());
    await tableReady(page);
    const keys = await page.getByTestId("compare-row").evaluateAll((els) => els.slice(0, 3).map((el) => el.getAttribute("data-key")!.split("/")[1]));
    await page.keyboard.press("j");
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("detail-title")).toHaveText(keys[0]);
    await expect(page.getByTestId("word-diff")).toBeVisible();
    await page.keyboard.press("j");
    await expect(page.getByTestId("detail-title")).toHaveText(keys[1]);
    await page.keyboard.press("ArrowDown");
    await expect(page.getByTestId("detail-title")).toHaveText(keys[2]);
    await page.keyboard.press("k");
    await expect(page.getByTestId("detail-title")).toHaveText(keys[1]);
    await page.screenshot({ path: "test-results/screens/compare-detail.png" });
    await page.keyboard.press("Escape");
    await expect(page.getByTestId("compare-detail")).toHaveCount(0);
  });

  test("a link reopens exactly the same view in a fresh browser", async ({ page, browser }) => {
    // two page loads, each starting DuckDB-WASM for the search the view carries
    test.slow();
    await openCompare(page, pair());
    await page.locator("[data-testid=task-row][data-subtask=alpha]").click();
    await page.getByTestId("cell-only_a").click();
    await page.getByLabel("Search questions").fill("times");
    await page.getByRole("columnheader", { name: "Question" }).click();
    await page.getByLabel("Seed").fill("11");
    await page.getByLabel("Seed").press("Enter");
    await expect(page.getByTestId("stats-settings")).toContainText("seed 11");
    await tableReady(page);
    await page.getByTestId("compare-row").nth(2).click();
    await expect(page.getByTestId("compare-detail")).toBeVisible();
    await expect(page).toHaveURL(/sel=/);
    const before = await visibleState(page);
    const link = page.url();

    const fresh = await freshPage(browser);
    await openCompare(fresh.page, link);
    expect(await visibleState(fresh.page)).toEqual(before);
    expect(fresh.external).toEqual([]);
    await fresh.context.close();
  });

  test("reopening a comparison shows the report the browser kept, and only for the same settings", async ({ page }) => {
    await openCompare(page, pair());
    await expect(page.getByTestId("headline")).toHaveAttribute("aria-busy", "false");
    const figures = await Promise.all(FIGURES.map(([name]) => value(page, name)));
    const verdict = await page.getByTestId("verdict").innerText();
    // the runs cannot be read any more: what shows comes from the kept report
    await page.route("**/api/files/runs/**", (route) => route.abort());
    await page.route("**/api/runs/*/records", (route) => route.abort());
    await page.reload();
    await expect(page.getByTestId("headline")).toHaveAttribute("aria-busy", "false");
    await expect(page.getByTestId("verdict")).toHaveText(verdict);
    expect(await Promise.all(FIGURES.map(([name]) => value(page, name)))).toEqual(figures);
    // another seed is another report: it needs the runs, and says it cannot read them
    await page.getByLabel("Seed").fill("11");
    await page.getByLabel("Seed").press("Enter");
    await expect(page.getByTestId("compare-error")).toContainText("cannot read the records of run");
  });

  test("Copy summary puts Markdown with the verdict and the link on the clipboard", async ({ page, context }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await openCompare(page, pair());
    await page.getByTestId("copy-summary").click();
    await expect(page.getByTestId("copy-status")).toHaveText("Summary copied");
    const text = await page.evaluate(() => navigator.clipboard.readText());
    expect(text).toContain(`**${await page.getByTestId("verdict").innerText()}**`);
    expect(text).toContain("| task | n | Δ | 95% CI | p (Holm) |");
    expect(text).toContain(`[Open this comparison](<${page.url()}>)`);
  });

  test("a continuous metric shows the histogram of differences", async ({ page }) => {
    await openCompare(page, pair({ metric: "f1" }));
    await expect(page.getByTestId("difference-histogram")).toBeVisible();
    await expect(page.getByTestId("two-by-two")).toHaveCount(0);
    expect(await value(page, "delta")).toEqual(cli("--metric", "f1").delta);
  });

  test("says so when a run changed since the link was made", async ({ page }) => {
    await openCompare(page, pair({ pinA: "000000000000" }));
    await expect(page.getByTestId("compare-note")).toContainText(`Run ${RUNS.candidate} has changed since this link was made`);
    await expect(page.getByTestId("verdict")).toBeVisible();
  });

  test("bad links get a clear message", async ({ page }) => {
    await page.goto(`/compare?v=99&a=${RUNS.candidate}&b=${RUNS.baseline}`);
    await expect(page.getByTestId("compare-problem")).toContainText("encoding version 99");
    await page.goto(`/compare?a=no-such-run&b=${RUNS.baseline}`);
    await expect(page.getByTestId("compare-problem")).toContainText('There is no run "no-such-run"');
    await page.goto(`/compare?a=${RUNS.candidate}&b=${RUNS.candidate}`);
    await expect(page.getByTestId("compare-problem")).toContainText("A and B are the same run");
    await page.goto(`/compare?a=${RUNS.candidate}&b=${RUNS.corrupt}&c=sideways`);
    await expect(page.getByTestId("compare-problem")).toContainText("link's c parameter is not valid");
  });

  test("runs with no shared question fall back to the unpaired comparison, both n shown", async ({ page }) => {
    await openCompare(page, `/compare?a=${RUNS.xss}&b=${RUNS.candidate}`);
    await expect(page.getByTestId("verdict")).toContainText("no shared questions");
    expect(await value(page, "n-a")).toBe(XSS_PAYLOADS.length);
    expect(await value(page, "n-b")).toBe(COMPARE_ROWS);
  });

  test("a running run is compared on what it has recorded, and the page says so", async ({ page }) => {
    await openCompare(page, `/compare?a=${RUNS.running}&b=${RUNS.a}`);
    await expect(page.getByTestId("compare-note")).toContainText(`${RUNS.running} is running: comparing the ${RUNNING_ROWS} questions`);
    await expect(page.getByTestId("stat-n-only-b")).toBeVisible();
  });

  test("model output is text in the table and in the diff", async ({ page }) => {
    await openCompare(page, pair());
    await page.getByLabel("Search questions").fill("onerror");
    // the first search loads both runs' text into DuckDB
    await expect(page.getByTestId("compare-table")).toHaveAttribute("data-count", "1", { timeout: 30_000 });
    const row = page.getByTestId("compare-row");
    await expect(row).toContainText(XSS_PAYLOADS[1]);
    await row.click();
    // the diff's A side (all but B's deletions) is A's response, verbatim, as text
    const diff = page.getByTestId("word-diff");
    await expect(diff.locator("ins").first()).toBeVisible();
    expect(await diff.evaluate((el) => [...el.children].filter((c) => c.tagName !== "DEL").map((c) => c.textContent).join(""))).toBe(XSS_PAYLOADS[1]);
    expect(await diff.evaluate((el) => [...el.children].every((c) => ["INS", "DEL", "SPAN"].includes(c.tagName) && c.children.length === 0))).toBe(true);
    await expect(page.getByTestId("detail-response-a")).toHaveText(XSS_PAYLOADS[1]);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    await expect(page.locator("main img, main script, main a[href^='javascript'], main .qrow svg, main .detail svg")).toHaveCount(0);
  });

  test("picking two runs on the runs page opens their comparison", async ({ page }) => {
    await page.goto("/");
    await page.getByLabel(`Select ${RUNS.candidate} for comparison`).check();
    await page.getByLabel(`Select ${RUNS.baseline} for comparison`).check();
    await page.getByTestId("compare-link").click();
    await expect(page).toHaveURL(new RegExp(`/compare\\?.*a=${RUNS.candidate}&b=${RUNS.baseline}`));
    await expect(page.getByTestId("run-a")).toContainText(RUNS.candidate);
    await expect(page.getByTestId("run-b")).toContainText(RUNS.baseline);
    await expect(page.getByTestId("verdict")).toContainText("A is better by", { timeout: 30_000 });
  });
});
