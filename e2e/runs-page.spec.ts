import { expect, test } from "./fixtures/test";
import { RUNS } from "./fixtures/runs";

test.describe("runs page", () => {
  test.beforeEach(async ({ page }) => {
    await page.goto("/");
  });

  test("lists every readable run with its facts, and broken runs with their reasons", async ({ page }) => {
    const table = page.getByTestId("runs-table");
    for (const runId of [RUNS.a, RUNS.b, RUNS.xss, RUNS.corrupt, RUNS.interrupted, RUNS.running]) {
      await expect(table.locator(`tr[data-run-id="${runId}"]`)).toBeVisible();
    }
    const a = table.locator(`tr[data-run-id="${RUNS.a}"]`);
    await expect(a).toContainText("gsm8k");
    await expect(a).toContainText("tiny-lm");
    await expect(a).toContainText("ckpt-100");
    await expect(a).toContainText("3,500");
    await expect(a).toContainText(/exact_match\s*0\.\d{3} ± 0\.\d{3} \(1 SE, n = [\d,]+\)/);
    await expect(a.getByTestId("primary-metric-cell")).toHaveAttribute("title", /± one standard error \(about a 68% interval\) over [\d,]+ scored questions/);
    await expect(a).toContainText("complete");
    await expect(table.locator(`tr[data-run-id="${RUNS.interrupted}"]`)).toContainText("interrupted");
    await expect(table.locator(`tr[data-run-id="${RUNS.running}"]`)).toContainText("running");

    const broken = page.getByTestId("broken-runs");
    await expect(broken).toContainText("3 runs cannot be read");
    await expect(broken.locator(`tr[data-run-id="${RUNS.futureSchema}"]`)).toContainText("schema_version 99");
    await expect(broken.locator(`tr[data-run-id="${RUNS.invalidManifest}"]`)).toContainText("is not valid");
    await expect(broken.locator(`tr[data-run-id="${RUNS.truncated}"]`)).toContainText("truncated");
    await page.screenshot({ path: "test-results/screens/runs.png", fullPage: true });
  });

  test("sorts by a column, both ways", async ({ page }) => {
    const firstRun = () => page.locator("[data-testid=runs-table] tbody tr").first();
    const stepHeader = page.getByRole("columnheader", { name: /^Step/ });
    await stepHeader.click();
    await expect(stepHeader).toHaveAttribute("aria-sort", /ascending|descending/);
    const first = await stepHeader.getAttribute("aria-sort");
    // ckpt-300 (the corrupt run) has the highest step; it leads when descending
    if (first === "ascending") await stepHeader.click();
    await expect(stepHeader).toHaveAttribute("aria-sort", "descending");
    await expect(firstRun()).toHaveAttribute("data-run-id", RUNS.corrupt);
    await stepHeader.click();
    await expect(stepHeader).toHaveAttribute("aria-sort", "ascending");
    await expect(firstRun()).not.toHaveAttribute("data-run-id", RUNS.corrupt);
  });

  test("filters by text and by a numeric comparison", async ({ page }) => {
    await page.getByLabel("Filter Run").fill("step200");
    await expect(page.getByTestId("runs-count")).toHaveText("1 of 11 runs");
    await expect(page.locator("[data-testid=runs-table] tbody tr").first()).toHaveAttribute("data-run-id", RUNS.b);
    await page.getByLabel("Filter Run").fill("");
    await page.getByLabel("Filter Primary metric").fill(">0.7");
    await expect(page.getByTestId("runs-count")).toHaveText("1 of 11 runs");
    await page.getByLabel("Filter Primary metric").fill("");
    await page.getByLabel("Filter Status").fill("interrupted");
    await expect(page.locator("[data-testid=runs-table] tbody tr")).toHaveCount(1);
  });

  test("keeps sorting and filters in the address, and says when a filter cannot compare", async ({ page }) => {
    await page.getByRole("columnheader", { name: /^Step/ }).click();
    await page.getByLabel("Filter Task").fill("gsm8k");
    await expect(page).toHaveURL(/sort=-?step&filter\.task=gsm8k/);
    // the server filters: the count changes once it answers
    await expect(page.getByTestId("runs-count")).toHaveText(/^\d+ of 11 runs$/);
    const sorted = await page.getByRole("columnheader", { name: /^Step/ }).getAttribute("aria-sort");
    const count = await page.getByTestId("runs-count").textContent();
    await page.reload();
    await expect(page.getByLabel("Filter Task")).toHaveValue("gsm8k");
    await expect(page.getByRole("columnheader", { name: /^Step/ })).toHaveAttribute("aria-sort", sorted!);
    await expect(page.getByTestId("runs-count")).toHaveText(count!);
    await page.getByLabel("Filter Step").fill(">=abc");
    await expect(page.getByTestId("filter-problem")).toHaveText(">=abc compares numbers: write a number after the operator, e.g. >=0.5");
    await expect(page.getByLabel("Filter Step")).toHaveAttribute("aria-invalid", "true");
  });

  test("selecting two runs builds the compare URL", async ({ page }) => {
    await expect(page.getByTestId("compare-link")).toHaveCount(0);
    await page.getByLabel(`Select ${RUNS.a} for comparison`).check();
    await page.getByLabel(`Select ${RUNS.b} for comparison`).check();
    const link = page.getByTestId("compare-link");
    // RUNS.b is the later checkpoint (step 200): the candidate, though it was picked second
    await expect(link).toHaveAttribute("href", `/compare?v=2&candidate=${RUNS.b}&baseline=${RUNS.a}`);
    // a third pick replaces the oldest; the xss run is at step 100
    await page.getByLabel(`Select ${RUNS.xss} for comparison`).check();
    await expect(link).toHaveAttribute("href", `/compare?v=2&candidate=${RUNS.b}&baseline=${RUNS.xss}`);
  });

  test("a run's link opens its page", async ({ page }) => {
    await page.getByRole("link", { name: RUNS.b }).click();
    await expect(page).toHaveURL(new RegExp(`/runs/${RUNS.b}$`));
    await expect(page.getByTestId("run-title")).toHaveText(RUNS.b);
  });
});
