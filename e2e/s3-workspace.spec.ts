import { execFileSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import os from "node:os";
import { COMPACTED_KEY } from "@/lib/catalog/entries";
import type { RunsPage } from "@/lib/catalog/runs-query";
import { spawnChild } from "@/lib/catalog/testing/spawn-child";
import { S3Objects } from "@/lib/s3/objects";
import { COMPARE_FILE, MANIFEST_FILE, RECORDS_FILE, runDir } from "@/lib/workspace/paths";
import { startApp, startServer, stopApp, stopServer } from "./fixtures/child-server";
import { compareJson, expectSameAsCli, openCompare } from "./fixtures/compare-figures";
import { MAIN_WORKSPACE, S3_WORKSPACE_ROOT, S3_WORKSPACE_S3_PORT, S3_WORKSPACE_URL } from "./fixtures/paths";
import { RUNS } from "./fixtures/runs";
import { expect, test } from "./fixtures/test";

// The app on a bucket workspace: `EVALBENCH_WORKSPACE=s3://team-evals/shared npm start` against a
// real S3 API server (s3rver) in its own process. The bucket holds finished runs of the main
// workspace, uploaded as a writer leaves them (run.json last).
const BUCKET = "team-evals";
const WORKSPACE = `s3://${BUCKET}/shared`;
const S3_ENV = { AWS_ENDPOINT_URL: `http://127.0.0.1:${S3_WORKSPACE_S3_PORT}`, AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER", AWS_REGION: "us-east-1" };

test.use({ viewport: { width: 1400, height: 900 }, baseURL: S3_WORKSPACE_URL });

let s3: ChildProcess | undefined;
let app: ChildProcess | undefined;

test.beforeAll(async () => {
  fs.rmSync(S3_WORKSPACE_ROOT, { recursive: true, force: true });
  s3 = await startServer("e2e/fixtures/s3-server.mjs", [S3_WORKSPACE_ROOT, String(S3_WORKSPACE_S3_PORT), BUCKET]);
  // the CLI the figures are checked against reads the same bucket
  Object.assign(process.env, S3_ENV);
  const objects = new S3Objects({ bucket: BUCKET, prefix: "shared" });
  for (const runId of [RUNS.candidate, RUNS.baseline]) {
    // the baseline was written before compare.parquet existed: readers fall back to its records
    for (const file of [COMPARE_FILE, RECORDS_FILE, MANIFEST_FILE]) {
      const local = path.join(runDir(MAIN_WORKSPACE, runId), file);
      if (fs.existsSync(local)) await objects.upload(`runs/${runId}/${file}`, local);
    }
  }
  app = await startApp(S3_WORKSPACE_URL, { EVALBENCH_WORKSPACE: WORKSPACE });
});

test.afterAll(async () => {
  stopApp(app);
  await stopServer(s3);
});

test.describe("the app on an S3 workspace", () => {
  test("lists the bucket's runs and opens one, its questions read from the bucket by Range through the app", async ({ page }) => {
    const requests: { url: string; range: string | undefined }[] = [];
    page.context().on("request", (request) => requests.push({ url: request.url(), range: request.headers().range }));
    await page.goto("/");
    await expect(page.getByText(WORKSPACE)).toBeVisible();
    await expect(page.getByRole("link", { name: RUNS.candidate, exact: true })).toBeVisible();
    await expect(page.getByRole("link", { name: RUNS.baseline, exact: true })).toBeVisible();
    await page.screenshot({ path: "test-results/screens/s3-runs.png" });

    await page.getByRole("link", { name: RUNS.candidate, exact: true }).click();
    await expect(page.getByTestId("run-title")).toHaveText(RUNS.candidate);
    await expect(page.getByTestId("question-table")).toHaveAttribute("data-phase", "ready", { timeout: 30_000 });
    const manifest = JSON.parse(fs.readFileSync(path.join(runDir(MAIN_WORKSPACE, RUNS.candidate), MANIFEST_FILE), "utf8")) as { records: { rows: number } };
    await expect(page.getByTestId("question-table")).toHaveAttribute("data-count", String(manifest.records.rows));
    await page.getByTestId("question-row").first().click();
    await expect(page.getByTestId("detail-response")).toContainText(/\S/);
    await page.screenshot({ path: "test-results/screens/s3-run.png" });
    const records = requests.filter((r) => r.url.includes(`/api/runs/${RUNS.candidate}/records`));
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.url.startsWith(S3_WORKSPACE_URL) && r.range !== undefined), JSON.stringify(records)).toBe(true);
  });

  test("compares two of its runs with the CLI's figures on the same bucket, to the last digit", async ({ page }) => {
    const report = compareJson(WORKSPACE, RUNS.candidate, RUNS.baseline);
    await openCompare(page, `/compare?v=2&candidate=${RUNS.candidate}&baseline=${RUNS.baseline}`);
    await expectSameAsCli(page, report);
    // the texts of both sides, read by Range from the bucket as the rows are shown
    await expect(page.getByTestId("compare-row").nth(4)).toContainText(/Let me think\..*Let me think\./);
    await page.screenshot({ path: "test-results/screens/s3-compare.png" });
    await page.getByTestId("compare-row").first().click();
    await expect(page.getByTestId("detail-response-b")).toContainText("Let me think. 0 times 3 is");
  });

  test("the file route serves the bucket's objects by Range and nothing outside the workspace", async ({ request }) => {
    const file = `/api/files/runs/${RUNS.candidate}/${RECORDS_FILE}`;
    const range = await request.get(file, { headers: { Range: "bytes=0-3" } });
    expect([range.status(), range.headers()["content-range"], (await range.body()).toString()]).toEqual([206, `bytes 0-3/${fs.statSync(path.join(runDir(MAIN_WORKSPACE, RUNS.candidate), RECORDS_FILE)).size}`, "PAR1"]);
    expect((await request.get("/api/files/runs/..%2F..%2Fother/run.json")).status()).toBe(403);
    expect((await request.get(`/api/files/runs/${RUNS.candidate}/nothing.parquet`)).status()).toBe(404);
    expect((await request.get("/api/files/runs/x", { headers: { Host: "evil.example" } })).status()).toBe(421);
  });

  test("imports dropped files into the bucket, written as `run` writes a run, listed by the app and by the CLI", async ({ page }) => {
    const olmo = path.resolve("lib", "importers", "fixtures", "olmo-eval");
    await page.goto("/");
    await page.getByTestId("import-files").setInputFiles(["task-001-gsm8k-predictions.jsonl", "task-001-gsm8k-metrics.json"].map((f) => path.join(olmo, f)));
    await expect(page.getByTestId("import-preview")).toContainText("Detected olmo-eval: 1 run");
    await page.screenshot({ path: "test-results/screens/s3-import-preview.png" });
    await page.getByTestId("import-confirm").click();
    const link = page.getByTestId("imported-run-link");
    await expect(link).toHaveText(/^import-olmo-eval-/);
    const runId = (await link.textContent())!;
    // the runs table lists it without a reload
    const listedRun = page.getByTestId("runs-table").getByRole("link", { name: runId, exact: true });
    await expect(listedRun).toBeVisible();
    await page.screenshot({ path: "test-results/screens/s3-import-done.png" });

    const names = (await new S3Objects({ bucket: BUCKET, prefix: "shared" }).list(`runs/${runId}/`)).map((o) => o.key.split("/").slice(2).join("/"));
    expect(names.filter((n) => !n.startsWith("records.ndjson.d/")).sort()).toEqual([COMPARE_FILE, "lease-000001.json", RECORDS_FILE, MANIFEST_FILE]);
    expect(names.filter((n) => n.startsWith("records.ndjson.d/")).length).toBeGreaterThan(0);
    const listed = JSON.parse(execFileSync("node", ["bin/evalbench.mjs", "ls", "--json", "-w", WORKSPACE], { encoding: "utf8" })) as { run_id: string; status: string }[];
    expect(listed.find((m) => m.run_id === runId)?.status).toBe("complete");

    await listedRun.click();
    await expect(page.getByTestId("run-title")).toHaveText(runId);
    await expect(page.getByTestId("question-table")).toHaveAttribute("data-phase", "ready", { timeout: 30_000 });
    await page.screenshot({ path: "test-results/screens/s3-import-run.png" });
  });

  test("the runs page reads the bucket's index: a run written by another machine shows within 10 s, and a run changed in the bucket shows broken on its row with the reason", async ({ page, request }) => {
    const objects = new S3Objects({ bucket: BUCKET, prefix: "shared" });
    // the first listing indexed the bucket (its runs were uploaded without the index): the compacted index is there
    expect((await objects.list(COMPACTED_KEY)).map((object) => object.key)).toEqual([COMPACTED_KEY]);
    // another machine (its own local mirror) writes a run into the bucket as evalbench run does
    await spawnChild("write-bucket-runs.ts", [WORKSPACE, "late", "1"], { ...process.env, XDG_CACHE_HOME: fs.mkdtempSync(path.join(os.tmpdir(), "evalbench-s3-machine-")) });
    const runs = async () => (await (await request.get("/api/runs")).json()) as RunsPage;
    await expect.poll(async () => (await runs()).rows.map((row) => [row.runId, row.status, row.problem]), { timeout: 10_000 }).toContainEqual(["late-0", "complete", null]);
    expect((await objects.list("index/entries/")).some((object) => object.key.endsWith(".late-0.json"))).toBe(true);

    await objects.delete(`runs/late-0/${RECORDS_FILE}`);
    const { rows } = await runs();
    expect(rows.find((row) => row.runId === "late-0")?.problem).toBe("records.parquet is missing; re-import or re-run this run");
    expect(rows.filter((row) => row.runId !== "late-0").map((row) => [row.runId, row.problem])).toEqual(expect.arrayContaining([[RUNS.candidate, null], [RUNS.baseline, null]]));
    await page.goto("/");
    await expect(page.getByTestId("run-problem")).toContainText("records.parquet is missing; re-import or re-run this run");
    await page.screenshot({ path: "test-results/screens/s3-runs-broken.png" });
  });
});
