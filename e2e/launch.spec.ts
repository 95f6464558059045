import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { Page } from "@playwright/test";
import { LAUNCH_DATA, LAUNCH_URL, SIM_PORT } from "./fixtures/paths";
import { expect, test } from "./fixtures/test";

const SIM = `http://127.0.0.1:${SIM_PORT}/v1`;
let sim: ChildProcess;

// `evalbench sim` serving three checkpoints of one model, a little slow so progress can be watched
test.beforeAll(async () => {
  sim = spawn(process.execPath, [path.resolve("bin", "evalbench.mjs"), "sim", "--port", String(SIM_PORT), "-t", "gsm8k", "--data", path.join(LAUNCH_DATA, "gsm8k"), "--limit", "40", "--latency-ms", "150", "--checkpoint", "olmo-step1=0.3", "--checkpoint", "olmo-step2=0.5", "--checkpoint", "olmo-step3=0.7"], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    sim.stdout?.on("data", (chunk: Buffer) => (String(chunk).includes("listening") ? resolve() : undefined));
    sim.once("exit", (code) => reject(new Error(`evalbench sim exited with ${code}`)));
  });
});
test.afterAll(() => {
  sim.kill("SIGTERM");
});

/** Fills the launch form's shared fields. */
async function fillCommon(page: Page, fields: { served?: string; limit: string; concurrency: string }) {
  await page.getByLabel("Search tasks").fill("gsm8k");
  await page.locator('input[name="tasks"][value="gsm8k"]').check();
  await page.getByLabel("Endpoint (OpenAI-compatible)").fill(SIM);
  await page.getByLabel("Model name").fill("olmo");
  if (fields.served) await page.getByLabel("Served model id").fill(fields.served);
  await page.getByLabel("Limit (questions per task)").fill(fields.limit);
  await page.getByLabel("Concurrency (requests at once)").fill(fields.concurrency);
}

test.describe.configure({ mode: "serial", timeout: 240_000 });

test("launch a run from the form, watch it move, cancel it, resume it", async ({ page }) => {
  await page.goto(`${LAUNCH_URL}/launch`);
  // server-side validation: every field's error at once, next to its field, in the form's words; nothing queued
  await page.getByLabel("Endpoint (OpenAI-compatible)").fill("localhost:3299");
  await page.getByLabel("Step", { exact: true }).fill("ten");
  await page.getByTestId("launch-submit").click();
  await expect(page.getByTestId("error-tasks")).toHaveText(/pick at least one task/);
  await expect(page.getByTestId("error-endpoint")).toHaveText("localhost:3299 is not an endpoint: give the server's base URL, e.g. http://localhost:3299/v1");
  await expect(page.getByTestId("error-step")).toHaveText("ten is not a whole number");
  await expect(page.getByTestId("error-count")).toHaveText("3 fields need a fix");
  await page.getByLabel("Step", { exact: true }).fill("");
  await fillCommon(page, { served: "olmo-step1", limit: "40", concurrency: "1" });
  await page.getByLabel("Checkpoint", { exact: true }).fill("../step-0");
  await page.getByTestId("launch-submit").click();
  await expect(page.getByTestId("error-checkpoint")).toHaveText(/no spaces or slashes/);
  await expect(page.getByLabel("Endpoint (OpenAI-compatible)")).toHaveValue(SIM);

  await page.getByLabel("Checkpoint", { exact: true }).fill("step-0");
  await page.getByLabel("Step", { exact: true }).fill("0");
  // "Test endpoint": the endpoint's models and the plan, nothing queued
  await page.getByTestId("test-endpoint").click();
  const tested = page.getByTestId("endpoint-test");
  await expect(tested).toHaveAttribute("data-ok", "true", { timeout: 60_000 });
  await expect(tested).toContainText(`endpoint ${SIM} answers GET /models; questions would go to model olmo-step1`);
  await expect(tested).toContainText("40 questions");
  await expect(tested).toContainText(`data: ${path.join(LAUNCH_DATA, "gsm8k")}`);
  await page.getByLabel("Served model id").fill("olmo-step9");
  await page.getByTestId("test-endpoint").click();
  await expect(tested).toHaveAttribute("data-ok", "false", { timeout: 60_000 });
  await expect(tested).toContainText("does not serve model olmo-step9; it serves: olmo-step1, olmo-step2, olmo-step3");
  await page.screenshot({ path: "test-results/screens/launch-test-endpoint.png", fullPage: true });
  await page.getByLabel("Served model id").fill("olmo-step1");
  await page.getByTestId("launch-submit").click();
  await page.waitForURL(`${LAUNCH_URL}/`);

  // progress is pushed: the count goes up without reloading the page
  const job = page.getByTestId("launch-job").filter({ hasText: "step-0" });
  const progress = job.getByTestId("run-progress");
  await expect(progress).toBeVisible({ timeout: 30_000 });
  await expect.poll(async () => Number(await progress.getAttribute("data-done")), { timeout: 30_000 }).toBeGreaterThan(2);
  const seen = Number(await progress.getAttribute("data-done"));
  await expect.poll(async () => Number(await progress.getAttribute("data-done")), { timeout: 30_000 }).toBeGreaterThan(seen);
  await expect(progress).toContainText(/\/s/);
  await expect(progress).toContainText("ETA");
  // the same progress in the runs table
  await expect(page.getByTestId("runs-table").getByTestId("run-progress")).toBeVisible();

  await job.getByTestId("cancel-job").click();
  await expect(job).toHaveAttribute("data-state", "cancelled", { timeout: 30_000 });
  const row = page.locator("tr[data-run-id]").filter({ hasText: "step-0" });
  await expect(row).toContainText("cancelled");

  // what was recorded stays browsable; Resume finishes the same run
  await row.getByRole("link").first().click();
  await page.waitForURL(/\/runs\/gsm8k-olmo-step-0-/);
  await expect(page.getByTestId("partial-note")).toContainText("This run is cancelled");
  await page.getByTestId("resume-run").click();
  await expect(page.getByTestId("run-live")).toBeVisible({ timeout: 30_000 });
  // a resumed run counts what it had: never 0 / 0, and the facts agree with the bar
  const live = page.getByTestId("run-live").getByTestId("run-progress");
  await expect(live).toHaveAttribute("data-planned", "40");
  expect(Number(await live.getAttribute("data-done"))).toBeGreaterThan(0);
  const count = page.getByTestId("question-count");
  await expect(count).toHaveAttribute("data-planned", "40");
  // read in one go: the run moves on between two reads
  const [facts, bar] = await page.evaluate(() =>
    ["[data-testid=question-count]", "[data-testid=run-live] [data-testid=run-progress]"].map((selector) => document.querySelector(selector)?.getAttribute("data-done")),
  );
  expect(facts).toBe(bar);
  await expect(page.getByTestId("partial-note")).toHaveCount(0, { timeout: 60_000 });
  await expect(page.getByTestId("primary-metric")).not.toHaveText("—");
});

test("launch a checkpoint series of three and open the comparison with the previous checkpoint", async ({ page }) => {
  await page.goto(`${LAUNCH_URL}/launch`);
  await page.getByLabel("Evaluate a checkpoint series").check();
  // the form's served model stands for the line that names none: without it step-2's job would
  // fail, as the endpoint serves several models
  await fillCommon(page, { served: "olmo-step2", limit: "40", concurrency: "8" });
  await page.getByLabel("Checkpoints, one per line").fill("step-1 1000 olmo-step1\nstep-2 2000\nstep-3 3000 olmo-step3");
  await page.getByTestId("launch-submit").click();
  await page.waitForURL(`${LAUNCH_URL}/`);
  const series = page.getByTestId("launch-job").filter({ hasText: /step-[123]/ });
  await expect(series).toHaveCount(3);
  for (const checkpoint of ["step-1", "step-2", "step-3"]) {
    await expect(page.locator(`[data-testid="launch-job"][data-checkpoint="${checkpoint}"]`)).toHaveAttribute("data-state", "done", { timeout: 120_000 });
  }
  const latest = page.locator("tr[data-run-id]").filter({ hasText: "step-3" });
  await expect(latest).toContainText("complete");
  await latest.getByRole("link").first().click();
  await page.waitForURL(/\/runs\/gsm8k-olmo-step-3-/);
  await page.getByTestId("compare-previous").click();
  await page.waitForURL(/\/compare\?/);
  const url = new URL(page.url());
  expect(url.searchParams.get("candidate")).toMatch(/^gsm8k-olmo-step-3-/);
  expect(url.searchParams.get("baseline")).toMatch(/^gsm8k-olmo-step-2-/);
  await expect(page.getByTestId("verdict")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("compare-problem")).toHaveCount(0);
});

test("a failed launch's long error wraps beside its buttons, and ended launches can be dismissed", async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(`${LAUNCH_URL}/launch`);
  await fillCommon(page, { served: `olmo-${"x".repeat(150)}`, limit: "5", concurrency: "1" });
  await page.getByLabel("Checkpoint", { exact: true }).fill("step-bad");
  await page.getByTestId("launch-submit").click();
  await page.waitForURL(`${LAUNCH_URL}/`);
  const failed = page.locator('[data-testid="launch-job"][data-checkpoint="step-bad"]');
  await expect(failed).toHaveAttribute("data-state", "failed", { timeout: 60_000 });
  await expect(failed).toContainText("does not serve model");
  const rerun = failed.getByTestId("rerun-job");
  await expect(rerun).toBeInViewport();
  expect((await rerun.boundingBox())!.x + (await rerun.boundingBox())!.width).toBeLessThanOrEqual(1400);
  await page.screenshot({ path: "test-results/screens/launch-failed-wraps.png" });

  await failed.getByTestId("dismiss-job").click();
  await expect(failed).toHaveCount(0);
  // the rest go at once; the runs stay in the runs table
  const before = await page.locator("tr[data-run-id]").count();
  await page.getByTestId("dismiss-ended").click();
  await expect(page.getByTestId("launches")).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("launches")).toHaveCount(0);
  await expect(page.locator("tr[data-run-id]")).toHaveCount(before);
});
