import { expect, test } from "./fixtures/test";
import { RUNS } from "./fixtures/runs";

test("the run page, query engine and search included, requests nothing but its own origin", async ({ context, page }) => {
  const requested: string[] = [];
  context.on("request", (request) => requested.push(request.url()));
  await page.goto(`/runs/${RUNS.a}`);
  await expect(page.getByTestId("question-table")).toHaveAttribute("data-phase", "ready", { timeout: 30_000 });
  await page.getByLabel("Search questions").fill("answer");
  await expect(page.getByTestId("question-summary")).toContainText("questions ·", { timeout: 30_000 });
  await page.getByTestId("question-row").first().click();
  await expect(page.getByTestId("detail-prompt")).toBeVisible();
  // the DuckDB bundle came from this server (so the guard does see the worker's requests)
  expect(requested.some((url) => /^http:\/\/127\.0\.0\.1:\d+\/duckdb\/[\d.]+\/duckdb-(eh|mvp)\.wasm$/.test(url))).toBe(true);
  for (const url of requested) expect(["127.0.0.1", "localhost"]).toContain(new URL(url).hostname);
  // the offline guard fixture fails the test on any other host
});
