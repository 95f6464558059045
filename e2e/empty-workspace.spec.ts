import { expect, test } from "./fixtures/test";
import { EMPTY_URL } from "./fixtures/paths";

test.use({ baseURL: EMPTY_URL });

test("an empty workspace says what to do next, and loads the demo runs in one click", async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto("/");
  const empty = page.getByTestId("empty-workspace");
  await expect(empty).toContainText("No runs yet");
  await expect(empty).toContainText("npx evalbench demo");
  await expect(empty).toContainText("evalbench run");
  await page.screenshot({ path: "test-results/screens/empty.png" });
  await page.getByTestId("load-demo").click();
  await expect(page.getByTestId("demo-progress")).toHaveText(/^\s*([1-9]\d*) of 48 runs written/, { timeout: 60_000 });
  await expect(page.getByTestId("runs-table")).toBeVisible({ timeout: 150_000 });
  await expect(page.locator("[data-testid=runs-table] tbody tr[data-run-id^=demo-]").first()).toBeVisible();
  await page.screenshot({ path: "test-results/screens/demo-runs.png", fullPage: true });
});
