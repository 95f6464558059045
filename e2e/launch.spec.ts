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
  // server-side validation: errors next to their fields, nothing queued
  await page.getByTestId("launch-submit").click();
  await expect(page.getByTestId("error-tasks")).toHaveText(/pick at least one task/);
  await fillCommon(page, { served: "olmo-step1", limit: "40", concurrency: "1" });
  await page.getByLabel("Checkpoint", { exact: true }).fill("../step-0");
  await page.getByTestId("launch-submit").click();
  await expect(page.getByTestId("error-checkpoint")).toHaveText(/no spaces or slashes/);
  await expect(page.getByLabel("Endpoint (OpenAI-compatible)")).toHaveValue(SIM);

  await page.getByLabel("Checkpoint", { exact: true }).fill("step-0");
  await page.getByLabel("Step", { exact: true }).fill("0");
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
  await expect(page.getByTestId("partial-note")).toHaveCount(0, { timeout: 60_000 });
  await expect(page.getByTestId("primary-metric")).not.toHaveText("—");
});

test("launch a checkpoint series of three and open the comparison with the previous checkpoint", async ({ page }) => {
  await page.goto(`${LAUNCH_URL}/launch`);
  await page.getByLabel("Evaluate a checkpoint series").check();
  await fillCommon(page, { limit: "40", concurrency: "8" });
  await page.getByLabel("Checkpoints, one per line").fill("step-1 1000 olmo-step1\nstep-2 2000 olmo-step2\nstep-3 3000 olmo-step3");
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
  expect(url.searchParams.get("a")).toMatch(/^gsm8k-olmo-step-3-/);
  expect(url.searchParams.get("b")).toMatch(/^gsm8k-olmo-step-2-/);
  await expect(page.getByTestId("verdict")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("compare-problem")).toHaveCount(0);
});
