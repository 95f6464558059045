import { expect, test } from "./fixtures/test";
import { RUNS, XSS_PAYLOADS } from "./fixtures/runs";

test("model output holding HTML, script and javascript: links is shown as text and never runs", async ({ page }) => {
  await page.goto(`/runs/${RUNS.xss}`);
  await expect(page.getByTestId("question-table")).toHaveAttribute("data-phase", "ready", { timeout: 30_000 });
  for (const [i, payload] of XSS_PAYLOADS.entries()) {
    const row = page.locator(`[data-testid=question-row][data-row="${i}"]`);
    await expect(row).toContainText(payload); // the subtask column holds the payload
    await row.click();
    await expect(page.getByTestId("detail-response")).toHaveText(payload);
    await expect(page.getByTestId("detail-target")).toHaveText(payload);
    await expect(page.getByTestId("detail-extracted")).toHaveText(payload);
    await expect(page.getByTestId("detail-prompt")).toHaveText(`Prompt ${payload}`);
    await expect(page.getByTestId("detail-scores")).toContainText(payload);
    // the transcript is collapsed; opened, every turn and tool output shows the payload as text
    const transcript = page.getByTestId("transcript");
    await transcript.locator("summary").first().click();
    for (const step of await transcript.locator("details").all()) await step.locator("summary").click();
    await expect(transcript).toContainText(payload);
  }
  await page.locator('[data-testid=question-row][data-row="0"]').click();
  await expect(page.getByTestId("detail-error")).toHaveText(XSS_PAYLOADS[0]);
  await page.getByLabel("Search questions").fill("onerror");
  await expect(page.getByTestId("question-table")).toHaveAttribute("data-count", "1");
  await page.screenshot({ path: "test-results/screens/xss.png" });

  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  // the per-subtask table names the subtasks (payloads here) as text
  for (const payload of XSS_PAYLOADS) await expect(page.getByTestId("subtask-scores")).toContainText(payload);
  // nothing from the payloads became an element: the only svg is the chart recharts draws
  await expect(page.locator("main img, main script, main a[href^='javascript']")).toHaveCount(0);
  await expect(page.getByTestId("subtask-chart").locator("svg")).toHaveCount(1);
  await expect(page.locator("main svg")).toHaveCount(1);
});
