import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures/test";
import { CATALOG_URL, CATALOG_WORKSPACE } from "./fixtures/paths";
import { CATALOG_RUNS } from "./fixtures/runs";

test.use({ baseURL: CATALOG_URL });

const rows = "[data-testid=runs-table] tbody tr[data-run-id]";

/** Writes runs into the workspace from another process, as another machine sharing it would. */
function writeFromAnotherProcess(prefix: string, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "lib/catalog/testing/write-runs.ts", CATALOG_WORKSPACE, prefix, String(count)], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`write-runs exited ${code}: ${stderr}`))));
  });
}

test.describe("the runs page over more runs than a page", () => {
  test.describe.configure({ mode: "serial" });

  test("pages through every run, 100 at a time, the page kept in the address", async ({ page }) => {
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto("/");
    await expect(page.getByTestId("runs-count")).toHaveText(`${CATALOG_RUNS} runs`);
    await expect(page.locator(rows)).toHaveCount(100);
    // newest first: the last copy was made last
    await expect(page.locator(rows).first()).toHaveAttribute("data-run-id", `cat-${CATALOG_RUNS - 1}`);
    await expect(page.getByTestId("runs-page")).toHaveText("rows 1–100, page 1 of 3");
    await page.screenshot({ path: "test-results/screens/runs-catalog.png" });
    await page.getByTestId("page-next").click();
    await expect(page.getByTestId("runs-page")).toHaveText("rows 101–200, page 2 of 3");
    await expect(page.locator(rows).first()).toHaveAttribute("data-run-id", `cat-${CATALOG_RUNS - 101}`);
    await expect(page).toHaveURL(/[?&]page=2$/);
    await page.reload();
    await expect(page.getByTestId("runs-page")).toHaveText("rows 101–200, page 2 of 3");
    await page.getByTestId("page-next").click();
    await expect(page.locator(rows)).toHaveCount(CATALOG_RUNS - 200);
    await expect(page.getByTestId("page-next")).toBeDisabled();
  });

  test("sorts and filters over every run, not only the page shown; the address keeps both", async ({ page }) => {
    await page.goto("/?page=3");
    const step = page.getByRole("columnheader", { name: /^Step/ });
    await step.click();
    if ((await step.getAttribute("aria-sort")) !== "descending") await step.click();
    await expect(step).toHaveAttribute("aria-sort", "descending");
    // a new sort starts at the first page, with the highest step of all
    await expect(page.getByTestId("runs-page")).toHaveText("rows 1–100, page 1 of 3");
    await expect(page.locator(rows).first()).toHaveAttribute("data-run-id", `cat-${CATALOG_RUNS - 1}`);
    await step.click();
    await expect(step).toHaveAttribute("aria-sort", "ascending");
    await expect(page.locator(rows).first()).toHaveAttribute("data-run-id", "cat-0");

    await page.getByLabel("Filter Model").fill("line-3");
    await page.getByLabel("Filter Step").fill(">=200");
    // line-3 holds the steps 3, 8, 13, ...: 203 to 238 are 8 runs
    await expect(page.getByTestId("runs-count")).toHaveText(`8 of ${CATALOG_RUNS} runs`);
    await expect(page.locator(rows)).toHaveCount(8);
    await expect(page.locator(rows).first()).toHaveAttribute("data-run-id", "cat-203");
    await expect(page.getByTestId("runs-page")).toHaveCount(0);
    await expect(page).toHaveURL(/sort=step&filter\.model=line-3&filter\.step=%3E%3D200/);
    await page.reload();
    await expect(page.getByLabel("Filter Model")).toHaveValue("line-3");
    await expect(page.getByTestId("runs-count")).toHaveText(`8 of ${CATALOG_RUNS} runs`);
    await expect(page.locator(rows).first()).toHaveAttribute("data-run-id", "cat-203");
  });

  test("a run written by another process shows within 10 s, without a reload; one removed shows broken, with the reason", async ({ page }) => {
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto("/");
    await expect(page.getByTestId("runs-count")).toHaveText(`${CATALOG_RUNS} runs`);
    const started = Date.now();
    await writeFromAnotherProcess("elsewhere", 2);
    await expect(page.locator(`${rows}[data-run-id="elsewhere-1"]`)).toBeVisible({ timeout: 10_000 });
    await expect(page.getByTestId("runs-count")).toHaveText(`${CATALOG_RUNS + 2} runs`);
    await expect(page.locator(`${rows}[data-run-id="elsewhere-0"]`)).toContainText("complete");
    expect(Date.now() - started).toBeLessThan(20_000);

    fs.rmSync(path.join(CATALOG_WORKSPACE, "runs", "elsewhere-0"), { recursive: true });
    const removed = page.locator(`${rows}[data-run-id="elsewhere-0"]`);
    await expect(removed.getByTestId("run-problem")).toContainText("its folder has no run.json: it was removed or moved; evalbench reindex drops it from the index", { timeout: 10_000 });
    await expect(removed.getByRole("checkbox")).toBeDisabled();
    await page.screenshot({ path: "test-results/screens/runs-catalog-removed.png" });

    // a run far off the shown page: the server's check of every run, in the background, lists it under the table
    test.setTimeout(120_000);
    fs.rmSync(path.join(CATALOG_WORKSPACE, "runs", "cat-0"), { recursive: true });
    const listedBroken = page.getByTestId("broken-runs").locator('tr[data-run-id="cat-0"]');
    await expect(listedBroken).toContainText("the index lists this run but its folder has no run.json", { timeout: 60_000 });
    await expect(page.getByTestId("every-run-check")).toHaveText(/^Every run's files checked against the index at \d\d:\d\d:\d\d UTC; the rows shown, just now\.$/);
    await expect(page.locator(`${rows}[data-run-id="cat-0"]`)).toHaveCount(0);
    await listedBroken.scrollIntoViewIfNeeded();
    await page.screenshot({ path: "test-results/screens/runs-catalog-broken-off-page.png" });
  });

  test("training runs: the lines with the latest checkpoints first, six in view and the rest folded, so the table stays on screen", async ({ page }) => {
    await page.setViewportSize({ width: 1400, height: 900 });
    await writeFromAnotherProcess("fresh-a", 2);
    await writeFromAnotherProcess("fresh-b", 2);
    await page.goto("/");
    const panel = page.getByTestId("series-links");
    const models = panel.locator(".series-line > b");
    await expect(models.nth(0)).toHaveText("fresh-b");
    await expect(models.nth(1)).toHaveText("fresh-a");
    // the five lines of the catalog workspace, a day old, come after; the oldest (line-0) is folded away
    const all = await models.allTextContents();
    expect(all.filter((name) => name.startsWith("line-"))).toEqual(["line-4", "line-3", "line-2", "line-1", "line-0"]);
    await expect(panel.locator(".series-line:visible")).toHaveCount(6);
    const folded = panel.locator("details.series-more");
    await expect(folded.locator("summary")).toHaveText(all.length - 6 === 1 ? "1 more training run" : `${all.length - 6} more training runs`);
    const oldest = panel.locator(".series-line", { has: page.locator("b", { hasText: /^line-0$/ }) });
    await expect(oldest).toBeHidden();
    await expect(page.locator(rows).first()).toBeInViewport();
    await page.screenshot({ path: "test-results/screens/runs-training-runs.png" });

    await folded.locator("summary").click();
    await expect(oldest).toBeVisible();
    await oldest.getByTestId("series-link").click();
    await expect(page).toHaveURL(/\/series\?.*line-0/);
  });
});
