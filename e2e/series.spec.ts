import { execFileSync } from "node:child_process";
import type { Page } from "@playwright/test";
import type { MatrixReport } from "@/lib/series/matrix";
import type { SeriesReport } from "@/lib/series/report";
import type { SuiteReport } from "@/lib/series/suite";
import { expect, test } from "./fixtures/test";
import { SERIES_URL, SERIES_WORKSPACE } from "./fixtures/paths";
import { SERIES_FAILED_RUN } from "./fixtures/runs";
import { expectSeriesSameAsCli, expectSuiteSameAsCli, openSeries as openSeriesAt } from "./fixtures/series-figures";

test.use({ baseURL: SERIES_URL });

const BASE = "demo-lm-1b";
const NEWMIX = "demo-lm-1b-newmix";
const SERIES = `/series?line=${BASE}&line=${NEWMIX}&task=gsm8k`;

/** `evalbench series|matrix --json`, run as a user would, against the workspace the server reads. */
function cli<T>(...args: string[]): T {
  return JSON.parse(execFileSync("node", ["bin/evalbench.mjs", ...args, "--json", "-w", SERIES_WORKSPACE], { encoding: "utf8" })) as T;
}

const openSeries = (page: Page, url = SERIES) => openSeriesAt(page, url);

test.describe("series page", () => {
  test("shows every checkpoint of both lines with the figures `evalbench series --json` prints, to the last digit", async ({ page }) => {
    const report = cli<SeriesReport>("series", "--model", BASE, "--model", NEWMIX, "--task", "gsm8k");
    await openSeries(page);
    await expect(page.getByTestId("score-point")).toHaveCount(16);
    await expect(page.getByTestId("series-notes")).toContainText(`no point at step 45000 (${SERIES_FAILED_RUN}): failed: the endpoint went away after 1 question`);
    await expectSeriesSameAsCli(page, report);
    const ahead = report.differences.find((d) => d.ci![0] > 0);
    expect(ahead).toBeDefined();
    await expect(page.getByTestId("difference-verdict")).toContainText("Significantly ahead from step");
    await page.screenshot({ path: "test-results/screens/series.png", fullPage: true });
  });

  test("flips and differences open the compare page of that pair, filtered to the cell", async ({ page }) => {
    await openSeries(page);
    const row = page.locator(`[data-testid=flips-chart][data-model="${BASE}"] [data-testid=flip-row]`).first();
    await row.getByTestId("learned-link").click();
    // the compare page pins both runs in its address
    await expect(page).toHaveURL(/\/compare\?v=2&candidate=demo-gsm8k-step10000&baseline=demo-gsm8k-step5000&.*c=only_candidate/);
    await expect(page.getByTestId("cell-only_a")).toHaveClass(/active/);
    await openSeries(page);
    await page.locator("[data-testid=difference-point][data-step='40000']").click();
    await expect(page).toHaveURL(/\/compare\?v=2&candidate=demo-newmix-gsm8k-step40000&baseline=demo-gsm8k-step40000&/);
  });

  test("question trajectories filter by kind and open a question at every checkpoint; the link keeps the view", async ({ page }) => {
    await openSeries(page);
    const rows = page.getByTestId("trajectory-row");
    await expect(rows.first()).toBeVisible();
    await page.getByTestId("trajectory-filter").selectOption("forgotten");
    await expect(rows.first()).toHaveAttribute("data-kind", "forgotten");
    const count = await page.getByTestId("trajectory-count").textContent();
    expect(count).toMatch(/^\d+ of 150 questions$/);
    const question = await rows.first().getAttribute("data-question");
    await rows.first().click();
    await expect(page.getByTestId("across-col")).toHaveCount(8);
    await expect(page).toHaveURL(/filter=forgotten/);
    await page.screenshot({ path: "test-results/screens/series-trajectories.png", fullPage: true });
    await page.reload();
    await expect(page.getByTestId("trajectory-filter")).toHaveValue("forgotten");
    await expect(page.getByTestId("question-across")).toContainText(question!);
    await expect(page.getByTestId("trajectory-count")).toHaveText(count!);
  });

  test("Copy summary gives Markdown with the per-task table and the link", async ({ page, context }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await openSeries(page);
    await page.getByTestId("copy-summary").click();
    await expect(page.getByTestId("copy-status")).toHaveText("Summary copied");
    const text = await page.evaluate(() => navigator.clipboard.readText());
    expect(text).toMatch(/^\*\*Training-run series: gsm8k\*\*/);
    expect(text).toContain("| gsm8k | demo\\-lm\\-1b\\-newmix |");
    expect(text).toContain(`${SERIES_URL}${SERIES}`);
  });

  test("the picker lists lines by task, and a run page links to its series; bad links say what is wrong", async ({ page }) => {
    await page.goto("/series");
    await page.getByTestId("all-lines-link").first().click();
    await expect(page.getByTestId("line-chip")).toHaveCount(2);
    await page.goto("/runs/demo-mmlu-step20000");
    await page.getByTestId("run-series-link").click();
    await expect(page).toHaveURL(/\/series\?line=demo-lm-1b&task=mmlu$/);
    await expect(page.getByTestId("score-point")).toHaveCount(8);
    await page.goto("/series?line=gpt-9&task=gsm8k");
    await expect(page.getByTestId("series-problem")).toHaveText(/no run of gpt-9 on task gsm8k; model lines with runs: demo-lm-1b, demo-lm-1b-newmix/);
    await page.goto(`${SERIES}&k=1`);
    await expect(page.getByTestId("series-problem")).toHaveText("k=1 in the link is not a whole number of at least 2");
  });
});

test.describe("suite series", () => {
  test("a suite's aggregate line and every member task in the per-task table, as `evalbench series --suite --json`", async ({ page }) => {
    const report = cli<SuiteReport>("series", "--model", BASE, "--model", NEWMIX, "--suite", "core");
    await page.goto(`/series?line=${BASE}&line=${NEWMIX}&suite=core`);
    await expect(page.getByTestId("score-point")).toHaveCount(16);
    await expect(page.getByTestId("series-notes")).toContainText("no runs of arc_challenge, hellaswag: the aggregate is over gsm8k, mmlu only");
    await expectSuiteSameAsCli(page, report);
    await page.screenshot({ path: "test-results/screens/series-suite.png", fullPage: true });
    await page.getByTestId("per-task-row").first().getByRole("link", { name: "gsm8k" }).click();
    await expect(page).toHaveURL(/\/series\?line=demo-lm-1b&line=demo-lm-1b-newmix&task=gsm8k$/);
  });
});

test.describe("matrix page", () => {
  test("every pair of a line's checkpoints with `evalbench matrix --json`'s differences, and a click compares the pair", async ({ page }) => {
    const report = cli<MatrixReport>("matrix", "--task", "gsm8k", "--model", BASE);
    await page.goto(`/matrix?task=gsm8k&line=${BASE}`);
    await expect(page.getByTestId("matrix-cell")).toHaveCount(8 * 7);
    for (const pair of report.pairs) {
      const cell = page.locator(`[data-testid=matrix-cell][data-a="${pair.a}"][data-b="${pair.b}"]`);
      expect(Number(await cell.getAttribute("data-delta"))).toBe(pair.delta);
      expect(await cell.getAttribute("data-significant")).toBe(String(pair.p_holm! < 0.05));
    }
    await page.screenshot({ path: "test-results/screens/matrix.png", fullPage: true });
    await page.locator(`[data-testid=matrix-cell][data-a="demo-gsm8k-step40000"][data-b="demo-gsm8k-step5000"] a`).click();
    await expect(page).toHaveURL(/\/compare\?v=2&candidate=demo-gsm8k-step40000&baseline=demo-gsm8k-step5000&/);
  });

  test("refuses runs of different tasks, naming them", async ({ page }) => {
    await page.goto("/matrix?run=demo-gsm8k-step5000&run=demo-mmlu-step5000");
    await expect(page.getByTestId("matrix-problem")).toContainText("gsm8k (demo-gsm8k-step5000); mmlu (demo-mmlu-step5000)");
  });
});
