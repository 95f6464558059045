import type { Browser, Page } from "@playwright/test";
import { encodeView, type CompareViewInput } from "@/lib/share/view-state";
import { compareJson, expectSameAsCli, FIGURES, openCompare, value } from "./fixtures/compare-figures";
import { expect, test } from "./fixtures/test";
import { MAIN_WORKSPACE } from "./fixtures/paths";
import { COMPARE_ROWS, PRO_ROWS, RUNNING_ROWS, RUNS, XSS_PAYLOADS } from "./fixtures/runs";

const SETTINGS = { seed: 7, B: 2000 };
const pair = (view: Partial<CompareViewInput> = {}) => `/compare?${encodeView({ a: RUNS.candidate, b: RUNS.baseline, ...SETTINGS, ...view })}`;

/** `evalbench compare --json`, run as a user would, against the same workspace the server reads. */
const cli = (...args: string[]) => cliOf(RUNS.candidate, RUNS.baseline, ...args);
const cliOf = (candidate: string, baseline: string, ...args: string[]) => compareJson(MAIN_WORKSPACE, candidate, baseline, "--seed", String(SETTINGS.seed), "--bootstrap", String(SETTINGS.B), ...args);

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
    await expect(page.getByTestId("stat-n-only-candidate")).toContainText("1 only in the candidate");
    await expect(page.getByTestId("stats-settings")).toContainText("seed 7 · 2,000 resamples");
    await expect(page.getByTestId("compare-table")).toHaveAttribute("data-count", String(COMPARE_ROWS + 1));
    await page.screenshot({ path: "test-results/screens/compare.png", fullPage: true });

    const mcnemar = report.mcnemar!;
    await expect(page.getByTestId("cell-only_a")).toHaveAttribute("data-value", String(mcnemar.only_candidate_right));
    await expect(page.getByTestId("cell-only_a")).toContainText("only candidate right");
    await page.getByTestId("cell-only_a").click();
    await expect(page.getByTestId("compare-table")).toHaveAttribute("data-count", String(mcnemar.only_candidate_right));
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
    expect(text).toContain("| task | n | candidate | baseline | Δ | 95% CI | p (Holm) |");
    // every task and subtask, each with both sides' scores
    const report = cli();
    for (const r of report.per_task) expect(text).toMatch(new RegExp(`\\| ${r.subtask ? `arith\\\\/${r.subtask}` : "arith"} \\| ${r.n_shared} \\| ${(100 * r.mean_candidate!).toFixed(1)} \\| ${(100 * r.mean_baseline!).toFixed(1)} \\|`));
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
    await expect(page.getByTestId("compare-problem")).toContainText("The candidate and the baseline are the same run");
    await page.goto(`/compare?a=${RUNS.candidate}&b=${RUNS.corrupt}&c=sideways`);
    await expect(page.getByTestId("compare-problem")).toContainText("link's c parameter is not valid");
  });

  test("runs of different tasks show no number and say why, as the CLI does", async ({ page }) => {
    await openCompare(page, pair({ a: RUNS.xss, b: RUNS.candidate }));
    const report = cliOf(RUNS.xss, RUNS.candidate);
    await expect(page.getByTestId("verdict")).toHaveText(report.verdict.text);
    await expect(page.getByTestId("verdict")).toHaveText("nothing to compare: the runs hold different tasks (candidate: xss-check; baseline: arith) and no question id in common: pick two runs of the same task");
    await expect(page.getByTestId("stat-delta")).toHaveCount(0);
    await expect(page.getByTestId("stat-unpaired-delta")).toHaveCount(0);
    await expect(page.getByTestId("task-table")).toHaveCount(0);
    await expect(page.getByTestId("stat-n-only-candidate")).toHaveAttribute("data-value", String(XSS_PAYLOADS.length));
    await expect(page.getByTestId("stat-n-only-baseline")).toHaveAttribute("data-value", String(COMPARE_ROWS));
  });

  test("two runs of one task under different names pair by question id, and the page says so", async ({ page }) => {
    const report = cliOf(RUNS.proNew, RUNS.proOld);
    expect(report.n_shared).toBe(PRO_ROWS);
    await openCompare(page, pair({ a: RUNS.proNew, b: RUNS.proOld }));
    await expectSameAsCli(page, report, ["delta", "ci-bootstrap", "n-shared"]);
    await expect(page.getByTestId("pairing-note")).toHaveText(
      "paired across task names: the candidate's mmlu_pro_step20 with the baseline's mmlu_pro_step10, by question id (each run holds one task; changed questions are still caught by their hashes)",
    );
  });

  test("a running run is compared on what it has recorded, and the page says so", async ({ page }) => {
    await openCompare(page, `/compare?a=${RUNS.running}&b=${RUNS.a}`);
    await expect(page.getByTestId("compare-note")).toContainText(`${RUNS.running} is running: comparing the ${RUNNING_ROWS} questions`);
    await expect(page.getByTestId("stat-n-only-baseline")).toBeVisible();
  });

  test("model output is text in the table and in the diff", async ({ page }) => {
    await openCompare(page, pair());
    await page.getByLabel("Search questions").fill("onerror");
    // the first search loads both runs' text into DuckDB
    await expect(page.getByTestId("compare-table")).toHaveAttribute("data-count", "1", { timeout: 30_000 });
    const row = page.getByTestId("compare-row");
    await expect(row).toContainText(XSS_PAYLOADS[1]);
    await row.click();
    // the diff's candidate side (all but the baseline's deletions) is the candidate's response, verbatim, as text
    const diff = page.getByTestId("word-diff");
    await expect(diff.locator("ins").first()).toBeVisible();
    expect(await diff.evaluate((el) => [...el.children].filter((c) => c.tagName !== "DEL").map((c) => c.textContent).join(""))).toBe(XSS_PAYLOADS[1]);
    expect(await diff.evaluate((el) => [...el.children].every((c) => ["INS", "DEL", "SPAN"].includes(c.tagName) && c.children.length === 0))).toBe(true);
    await expect(page.getByTestId("detail-response-a")).toHaveText(XSS_PAYLOADS[1]);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    await expect(page.locator("main img, main script, main a[href^='javascript'], main .qrow svg, main .detail svg")).toHaveCount(0);
  });

  test("picking two runs makes the later checkpoint the candidate, whichever was ticked first", async ({ page }) => {
    await page.goto("/");
    // the baseline (step 120) first, the candidate (step 150) second
    await page.getByLabel(`Select ${RUNS.baseline} for comparison`).check();
    await page.getByLabel(`Select ${RUNS.candidate} for comparison`).check();
    await expect(page.getByTestId("picked-candidate")).toHaveText(RUNS.candidate);
    await expect(page.getByTestId("picked-baseline")).toHaveText(RUNS.baseline);
    await expect(page.getByTestId("picked")).toContainText("the later checkpoint is the candidate");
    await page.screenshot({ path: "test-results/screens/runs-picker.png" });
    await page.getByTestId("compare-link").click();
    await expect(page).toHaveURL(new RegExp(`/compare\\?v=2&candidate=${RUNS.candidate}&baseline=${RUNS.baseline}`));
    await expect(page.getByTestId("run-candidate")).toContainText(RUNS.candidate);
    await expect(page.getByTestId("run-baseline")).toContainText(RUNS.baseline);
    await expect(page.getByTestId("verdict")).toContainText("candidate is better by", { timeout: 30_000 });
  });

  test("the picker's swap makes the earlier checkpoint the candidate", async ({ page }) => {
    await page.goto("/");
    await page.getByLabel(`Select ${RUNS.candidate} for comparison`).check();
    await page.getByLabel(`Select ${RUNS.baseline} for comparison`).check();
    await page.getByTestId("picker-swap").click();
    await expect(page.getByTestId("picked-candidate")).toHaveText(RUNS.baseline);
    await expect(page.getByTestId("compare-link")).toHaveAttribute("href", `/compare?v=2&candidate=${RUNS.baseline}&baseline=${RUNS.candidate}`);
  });

  test("Swap exchanges the sides: the difference changes sign, filters follow their run, and the CLI agrees", async ({ page }) => {
    await openCompare(page, pair({ cell: "only_a" }));
    await expect(page.getByTestId("headline")).toHaveAttribute("aria-busy", "false");
    const before = (await value(page, "delta")) as number;
    await page.getByTestId("swap").click();
    await expect(page).toHaveURL(new RegExp(`candidate=${RUNS.baseline}&baseline=${RUNS.candidate}.*c=only_baseline`));
    await expect(page.getByTestId("run-candidate")).toContainText(RUNS.baseline);
    // the questions only the (old) candidate got right are now "only baseline right"
    await expect(page.getByTestId("cell-only_b")).toHaveClass(/active/);
    const swapped = cliOf(RUNS.baseline, RUNS.candidate);
    await expectSameAsCli(page, swapped);
    expect(swapped.delta).toBeCloseTo(-before, 12);
    await expect(page.getByTestId("verdict")).toContainText("candidate is worse by");
  });

  test("a link made before the sides were named (a, b, c=only_a) opens the same view", async ({ page }) => {
    await openCompare(page, `/compare?v=1&a=${RUNS.candidate}&b=${RUNS.baseline}&c=only_a&seed=7&B=2000`);
    await expect(page.getByTestId("run-candidate")).toContainText(RUNS.candidate);
    await expect(page.getByTestId("cell-only_a")).toHaveClass(/active/);
    await expect(page.getByTestId("stats-settings")).toContainText("seed 7 · 2,000 resamples");
    await expect(page).toHaveURL(new RegExp(`v=2&candidate=${RUNS.candidate}&baseline=${RUNS.baseline}.*c=only_candidate`));
  });

  test("each subtask's difference is plotted with its CI, and the question count is the scope's", async ({ page }) => {
    const report = cli();
    await openCompare(page, pair());
    const chart = page.getByTestId("subtask-chart");
    await expect(chart).toContainText("Δ candidate − baseline by subtask (points), dot = Δ, bar = 95% CI");
    const subtasks = report.per_task.filter((r) => r.subtask !== null);
    await expect(chart).toHaveAttribute("data-rows", String(subtasks.length));
    for (const r of subtasks) await expect(chart).toContainText(r.subtask!);
    // one error bar per subtask
    await expect(chart.locator(".recharts-errorBar")).toHaveCount(subtasks.length);
    await page.locator("[data-testid=task-row][data-subtask=beta]").click();
    await tableReady(page);
    // every question of arith/beta (one sample each): the scope's count, not the pair's 1,201
    const beta = cli("--task", "arith/beta");
    const inBeta = beta.n_shared + beta.n_only_candidate + beta.n_only_baseline + beta.n_mismatched + beta.n_unscored;
    expect(inBeta).toBeLessThan(COMPARE_ROWS / 2);
    await expect(page.getByTestId("question-count")).toContainText(new RegExp(`^${inBeta} of ${inBeta} questions in scope`));
    await page.getByTestId("cell-only_a").click();
    await expect(page.getByTestId("question-count")).toContainText(new RegExp(`^${beta.mcnemar!.only_candidate_right} of ${inBeta} questions in scope`));
  });

  test("every interval says what it is, and each statistic explains itself with a link into docs/statistics.md", async ({ page }) => {
    await openCompare(page, pair());
    await expect(page.getByTestId("headline")).toHaveAttribute("aria-busy", "false");
    await expect(page.getByTestId("stat-ci-bootstrap")).toContainText("95% CI, paired bootstrap BCa");
    await expect(page.getByTestId("stat-ci-analytic")).toContainText("95% CI, analytic");
    await expect(page.getByTestId("stat-ci-clustered")).toContainText("95% CI, clustered (CR1)");
    await expect(page.getByTestId("task-table").getByRole("columnheader", { name: "95% CI" })).toBeVisible();
    for (const term of ["bca", "mde", "r", "mcnemar", "cr1", "designEffect", "resamples"]) {
      const explained = page.getByTestId(`explained-${term}`).first();
      await expect(explained, term).toHaveAttribute("title", /.{40,}/);
      await expect(explained.locator("a"), term).toHaveAttribute("href", /^\/docs\/statistics#[a-z0-9-]+$/);
    }
    const mde = page.getByTestId("explained-mde").first();
    await expect(mde).toHaveAttribute("title", /smallest true difference/);
    const [doc] = await Promise.all([page.context().waitForEvent("page"), mde.locator("a").click()]);
    await expect(doc).toHaveURL(/\/docs\/statistics#mde-minimum-detectable-effect$/);
    await expect(doc.locator("#mde-minimum-detectable-effect")).toHaveText("MDE, minimum detectable effect");
    await expect(doc.locator("#mde-minimum-detectable-effect")).toBeInViewport();
    await doc.close();
  });

  test("warnings are said in words", async ({ page }) => {
    // the healthy runs have half-right (0.5) scores: no McNemar test, and the page says so
    const report = cliOf(RUNS.b, RUNS.a);
    expect(report.warnings).toContain("NOT_BINARY");
    await openCompare(page, pair({ a: RUNS.b, b: RUNS.a }));
    await expect(page.getByTestId("headline")).toHaveAttribute("aria-busy", "false");
    const warnings = page.getByTestId("stats-warnings");
    await expect(warnings.locator("li")).toHaveCount(report.warnings.length);
    await expect(warnings).toContainText("scores are not all 0 or 1: no McNemar test; p is the sign-flip test's");
    for (const code of report.warnings) await expect(warnings).not.toContainText(code);
  });
});
