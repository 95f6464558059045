import fs from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures/test";
import { IMPORT_URL, IMPORT_WORKSPACE } from "./fixtures/paths";

const GSM8K = path.resolve("..", "shared", "data", "gsm8k-lmeval-llada-8b-base");
const OLMO = path.resolve("lib", "importers", "fixtures", "olmo-eval");
const TIME = "2025-11-12T16-14-42.183000";
const runFolders = () => (fs.existsSync(path.join(IMPORT_WORKSPACE, "runs")) ? fs.readdirSync(path.join(IMPORT_WORKSPACE, "runs")) : []);

test.describe.configure({ mode: "serial" });

test.describe("importing from the runs page", () => {
  test("a file no format matches is refused with the reason, and nothing is written", async ({ page }) => {
    await page.goto(`${IMPORT_URL}/`);
    await page.getByTestId("import-files").setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
    await expect(page.getByTestId("import-error")).toContainText("cannot tell the format of notes.txt");
    // the error asks for the format field the form offers, not a CLI flag
    await expect(page.getByTestId("import-error")).toContainText("or set Format");
    await expect(page.getByTestId("import-error")).not.toContainText("--");
    await page.getByTestId("import-format").selectOption("olmo-eval");
    await page.getByTestId("import-files").setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
    await expect(page.getByTestId("import-error")).toContainText("notes.txt is not a olmo-eval file");
    expect(runFolders()).toEqual([]);
  });

  test("olmo-eval predictions and metrics dropped together are one run, and the import links to it", async ({ page }) => {
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(`${IMPORT_URL}/`);
    await page.getByTestId("import-files").setInputFiles(["task-001-gsm8k-predictions.jsonl", "task-001-gsm8k-metrics.json"].map((f) => path.join(OLMO, f)));
    const preview = page.getByTestId("import-preview");
    await expect(preview).toContainText("Detected olmo-eval: 1 run");
    await page.screenshot({ path: "test-results/screens/import-preview.png" });
    await page.getByTestId("import-confirm").click();
    const link = page.getByTestId("imported-run-link");
    await expect(link).toHaveCount(1);
    await expect(link).toHaveText(/^import-olmo-eval-/);
    await page.screenshot({ path: "test-results/screens/import-done.png" });
    const runId = await link.textContent();
    await link.click();
    await page.waitForURL(`${IMPORT_URL}/runs/${runId}`);
    await expect(page.getByTestId("run-title")).toHaveText(runId!);
  });

  test("dropped lm-eval files are detected, previewed, and imported on confirmation", async ({ page }) => {
    await page.goto(`${IMPORT_URL}/`);
    await page.getByText("Labels and table mapping").click();
    await page.locator('input[name="checkpoint"]').fill("step-1000");
    await page.getByTestId("import-files").setInputFiles([path.join(GSM8K, `samples_gsm8k_${TIME}.jsonl`), path.join(GSM8K, `results_${TIME}.json`)]);

    const preview = page.getByTestId("import-preview");
    await expect(preview).toContainText("Detected lm-eval: 1 run");
    await expect(preview.locator("tbody tr")).toHaveCount(1);
    await expect(preview.locator("tbody tr td").nth(3)).toHaveText("step-1000");
    expect(runFolders()).toHaveLength(1); // nothing is written before the confirmation (the olmo-eval run is there)

    await page.getByTestId("import-confirm").click();
    await expect(page.getByTestId("import-done")).toContainText("Imported 1 run");
    await expect(page.getByRole("link", { name: /import-lm-eval/ }).first()).toBeVisible();
    expect(runFolders()).toHaveLength(2);

    // the same files again: recognised as already imported, nothing to confirm
    await page.getByTestId("import-files").setInputFiles([path.join(GSM8K, `samples_gsm8k_${TIME}.jsonl`), path.join(GSM8K, `results_${TIME}.json`)]);
    await expect(page.getByTestId("import-preview")).toContainText("already imported");
    await expect(page.getByTestId("import-confirm")).toBeDisabled();
  });

  test("an upload over the limit is refused with the limit and the CLI command for large files", async ({ page }) => {
    await page.goto("/");
    await page.getByTestId("import-files").setInputFiles({ name: "big.jsonl", mimeType: "text/plain", buffer: Buffer.alloc(11 * 1024 * 1024, "{}\n") });
    await expect(page.getByTestId("import-error")).toContainText("this upload is 11 MB; the app takes at most 10 MB at once: import larger files from the shell with npx evalbench import");
  });

  test("an upload from another origin is refused", async ({ request }) => {
    const response = await request.post(`${IMPORT_URL}/api/imports`, { headers: { origin: "http://evil.example" }, multipart: { options: "{}" } });
    expect(response.status()).toBe(403);
    expect((await response.json()).error).toMatch(/cross-origin request refused/);
  });
});
