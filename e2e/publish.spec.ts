import { execFileSync, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import type { PublishedIndex } from "@/lib/publish/published-index";
import type { MatrixReport } from "@/lib/series/matrix";
import type { SeriesReport } from "@/lib/series/report";
import type { SuiteReport } from "@/lib/series/suite";
import { startApp, startServer, stopApp, stopServer } from "./fixtures/child-server";
import { compareJson, expectSameAsCli, openCompare, value } from "./fixtures/compare-figures";
import { MAIN_URL, MAIN_WORKSPACE, PUBLISHED_ROOT, PUBLISHED_URL, S3_PORT, S3_PUBLISH_URL, S3_ROOT, SERIES_WORKSPACE } from "./fixtures/paths";
import { COMPARE_ROWS, RUNS, SERIES_FAILED_RUN, XSS_PAYLOADS } from "./fixtures/runs";
import { expectSeriesSameAsCli, expectSuiteSameAsCli, openSeries } from "./fixtures/series-figures";
import { expect, test } from "./fixtures/test";

const BUCKET = "reviews";
const S3_ENDPOINT = `http://127.0.0.1:${S3_PORT}`;
const S3_ENV = { AWS_ENDPOINT_URL: S3_ENDPOINT, AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER", AWS_REGION: "us-east-1" };

/** `evalbench publish --compare candidate baseline ...args`: exit status, stdout lines, stderr. */
function publish(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync("node", ["bin/evalbench.mjs", "publish", "-w", MAIN_WORKSPACE, "--compare", RUNS.candidate, RUNS.baseline, ...args], { encoding: "utf8", env: { ...process.env, ...env } });
  return { status: result.status, lines: result.stdout.trim().split("\n"), stderr: result.stderr.trim() };
}

const sha256 = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");

/** Every request the page and its workers make, with its Range header. */
function recordRequests(page: Page) {
  const requests: { url: string; range: string | undefined }[] = [];
  page.context().on("request", (request) => requests.push({ url: request.url(), range: request.headers().range }));
  return requests;
}

test.use({ viewport: { width: 1400, height: 900 } });

let staticServer: ChildProcess | undefined;
let s3Server: ChildProcess | undefined;

test.beforeAll(async () => {
  fs.rmSync(PUBLISHED_ROOT, { recursive: true, force: true });
  fs.rmSync(S3_ROOT, { recursive: true, force: true });
  fs.mkdirSync(PUBLISHED_ROOT, { recursive: true });
  // one after the other, so that afterAll stops whichever started when the other fails
  staticServer = await startServer("e2e/fixtures/static-server.mjs", [PUBLISHED_ROOT, new URL(PUBLISHED_URL).port]);
  s3Server = await startServer("e2e/fixtures/s3-server.mjs", [S3_ROOT, String(S3_PORT), BUCKET]);
});

test.afterAll(async () => {
  await Promise.all([stopServer(staticServer), stopServer(s3Server)]);
});

test.describe("evalbench publish", () => {
  test("to a folder: the printed link opens on another origin with the CLI's figures, text read by Range, nothing from elsewhere", async ({ page }) => {
    const report = compareJson(MAIN_WORKSPACE, RUNS.candidate, RUNS.baseline);
    const out = path.join(PUBLISHED_ROOT, "folder");
    const { status, lines, stderr } = publish(["--out", out, "--base-url", `${PUBLISHED_URL}/folder/`]);
    expect(status, stderr).toBe(0);
    const link = lines.at(-1)!;
    expect(link).toMatch(new RegExp(`^${PUBLISHED_URL}/folder/compare\\.html\\?v=2&candidate=${RUNS.candidate}&baseline=${RUNS.baseline}&candidate_pin=[0-9a-f]{12}&baseline_pin=[0-9a-f]{12}$`));

    // pinned: the index names every copied file by its sha256, the records' being the run's own
    const index = JSON.parse(fs.readFileSync(path.join(out, "index.json"), "utf8")) as PublishedIndex;
    for (const run of index.runs) {
      expect(sha256(path.join(out, run.records.path))).toBe(run.records.sha256);
      expect(run.records.sha256).toBe(run.manifest.records!.sha256);
      if (run.compare) expect(sha256(path.join(out, run.compare.path))).toBe(run.compare.sha256);
    }

    const requests = recordRequests(page);
    await openCompare(page, link);
    await expectSameAsCli(page, report);
    await page.screenshot({ path: "test-results/screens/published-compare.png" });
    // a question's text, read from the published records by Range
    const row = page.getByTestId("compare-row").first();
    const key = (await row.getAttribute("data-key"))!.split("/")[1];
    await row.click();
    await expect(page.getByTestId("detail-title")).toHaveText(key);
    await expect(page.getByTestId("detail-response-a")).toContainText(/\S/);
    await page.screenshot({ path: "test-results/screens/published-detail.png" });
    // text search runs in the viewer's own DuckDB-WASM, under its content security policy
    await page.getByLabel("Search questions").fill("onerror");
    await expect(page.getByTestId("compare-table")).toHaveAttribute("data-count", "1", { timeout: 30_000 });
    await expect(page.getByTestId("compare-row")).toContainText(XSS_PAYLOADS[1]);

    expect(requests.filter((r) => new URL(r.url).origin !== PUBLISHED_URL)).toEqual([]);
    const records = requests.filter((r) => r.url.endsWith("/records.parquet"));
    expect(records.length).toBeGreaterThan(0);
    expect(records.filter((r) => !r.range?.startsWith("bytes="))).toEqual([]);

    // the Runs link opens the viewer's list of its runs
    await page.getByRole("link", { name: "Runs /" }).click();
    await expect(page.getByRole("heading", { name: "Published runs" })).toBeVisible();
    const candidate = page.getByTestId("published-run").filter({ hasText: RUNS.candidate });
    await expect(candidate).toContainText(index.runs[0].records.sha256.slice(0, 12));
    await page.screenshot({ path: "test-results/screens/published-home.png" });
    // and a run's link opens its question browser over the published copy
    await candidate.getByRole("link", { name: RUNS.candidate }).click();
    await expect(page.getByTestId("run-title")).toHaveText(RUNS.candidate);
    await expect(page.getByTestId("question-table")).toHaveAttribute("data-phase", "ready", { timeout: 30_000 });
    await expect(page.getByTestId("question-table")).toHaveAttribute("data-count", String(COMPARE_ROWS));
    await expect(page.getByTestId("run-series-link")).toHaveCount(0);
    await page.screenshot({ path: "test-results/screens/published-run.png" });
    expect(requests.filter((r) => new URL(r.url).origin !== PUBLISHED_URL)).toEqual([]);
  });

  test("--no-text leaves the text out of the copies and keeps every figure", async ({ page }) => {
    const report = compareJson(MAIN_WORKSPACE, RUNS.candidate, RUNS.baseline);
    const out = path.join(PUBLISHED_ROOT, "no-text");
    const { status, lines, stderr } = publish(["--out", out, "--no-text", "--base-url", `${PUBLISHED_URL}/no-text`]);
    expect(status, stderr).toBe(0);
    const index = JSON.parse(fs.readFileSync(path.join(out, "index.json"), "utf8")) as PublishedIndex;
    expect(index.text).toBe(false);
    // every response of the pair says "Let me think"; none of it is published
    for (const run of index.runs) expect(fs.readFileSync(path.join(out, run.records.path)).includes("Let me think")).toBe(false);

    await openCompare(page, lines.at(-1)!);
    await expectSameAsCli(page, report);
    await expect(page.getByTestId("compare-note")).toContainText("Published without text");
    await page.getByTestId("compare-row").first().click();
    await expect(page.getByTestId("compare-detail")).toHaveAttribute("aria-busy", "false");
    await expect(page.getByTestId("detail-cluster")).toBeVisible();
    await expect(page.getByTestId("detail-response-a")).toHaveCount(0);
  });

  test("to S3: uploaded to a real S3 API server, the link opens from the bucket with the CLI's figures", async ({ page }) => {
    const report = compareJson(MAIN_WORKSPACE, RUNS.candidate, RUNS.baseline);
    const { status, lines, stderr } = publish(["--to", `s3://${BUCKET}/pr-42`], S3_ENV);
    expect(status, stderr).toBe(0);
    const link = lines.at(-1)!;
    expect(link).toMatch(new RegExp(`^${S3_ENDPOINT}/${BUCKET}/pr-42/compare\\.html\\?v=2&candidate=${RUNS.candidate}&baseline=${RUNS.baseline}&candidate_pin=`));

    const requests = recordRequests(page);
    await openCompare(page, link);
    await expectSameAsCli(page, report);
    await page.getByTestId("compare-row").first().click();
    await expect(page.getByTestId("detail-response-a")).toContainText(/\S/);
    expect(requests.filter((r) => new URL(r.url).origin !== S3_ENDPOINT)).toEqual([]);
    expect(requests.filter((r) => r.url.endsWith("/records.parquet") && !r.range)).toEqual([]);

    // a published viewer never changes: the same prefix is refused
    const again = publish(["--to", `s3://${BUCKET}/pr-42`], S3_ENV);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("already holds a published viewer");
  });

  test("several runs of a task: the viewer's matrix shows what `evalbench matrix --json` prints, and a cell opens the pair", async ({ page }) => {
    const report = JSON.parse(execFileSync("node", ["bin/evalbench.mjs", "matrix", RUNS.a, RUNS.b, "--json", "-w", MAIN_WORKSPACE], { encoding: "utf8" })) as MatrixReport;
    const out = path.join(PUBLISHED_ROOT, "matrix");
    const published = spawnSync("node", ["bin/evalbench.mjs", "publish", "-w", MAIN_WORKSPACE, RUNS.a, RUNS.b, "--out", out, "--base-url", `${PUBLISHED_URL}/matrix/`], { encoding: "utf8" });
    expect(published.status, published.stderr).toBe(0);
    expect(published.stdout.trim().split("\n").at(-1)).toBe(`${PUBLISHED_URL}/matrix/index.html`);

    await page.goto(`${PUBLISHED_URL}/matrix/index.html`);
    await page.getByTestId("published-matrix").click();
    await expect(page.getByTestId("matrix-cell")).toHaveCount(2);
    for (const pair of report.pairs) {
      const cell = page.locator(`[data-testid=matrix-cell][data-a="${pair.a}"][data-b="${pair.b}"]`);
      expect(Number(await cell.getAttribute("data-delta"))).toBe(pair.delta);
      expect(await cell.getAttribute("data-significant")).toBe(String(pair.p_holm! < 0.05));
    }
    await page.screenshot({ path: "test-results/screens/published-matrix.png" });
    await page.locator(`[data-testid=matrix-cell][data-a="${RUNS.b}"][data-b="${RUNS.a}"] a`).click();
    await expect(page).toHaveURL(new RegExp(`/matrix/compare\\.html\\?(v=2&)?candidate=${RUNS.b}&baseline=${RUNS.a}`));
    // these runs have no clusters: the verdict and the difference stand for the headline
    const pair = compareJson(MAIN_WORKSPACE, RUNS.b, RUNS.a);
    await expect(page.getByTestId("headline")).toHaveAttribute("aria-busy", "false", { timeout: 30_000 });
    await expect(page.getByTestId("verdict")).toHaveText(pair.verdict.text);
    expect(await value(page, "delta")).toEqual(pair.delta);
  });

  test("a training-run series: the printed link opens the app's series page on another origin with `evalbench series --json`'s figures, trajectories and text by Range", async ({ page }) => {
    const [base, newmix] = ["demo-lm-1b", "demo-lm-1b-newmix"];
    const report = JSON.parse(execFileSync("node", ["bin/evalbench.mjs", "series", "--model", base, "--model", newmix, "--task", "gsm8k", "--json", "-w", SERIES_WORKSPACE], { encoding: "utf8" })) as SeriesReport;
    const out = path.join(PUBLISHED_ROOT, "series");
    const view = `line=${base}&line=${newmix}&task=gsm8k`;
    const published = spawnSync("node", ["bin/evalbench.mjs", "publish", "-w", SERIES_WORKSPACE, "--series", view, "--out", out, "--base-url", `${PUBLISHED_URL}/series/`], { encoding: "utf8" });
    expect(published.status, published.stderr).toBe(0);
    const link = published.stdout.trim().split("\n").at(-1)!;
    expect(link).toBe(`${PUBLISHED_URL}/series/series.html?${view}`);
    // every checkpoint of both lines, eight each; the failed one has no records to publish
    const index = JSON.parse(fs.readFileSync(path.join(out, "index.json"), "utf8")) as PublishedIndex;
    expect(index.runs).toHaveLength(16);
    expect(index.runs.map((r) => r.manifest.run_id)).not.toContain(SERIES_FAILED_RUN);

    const requests = recordRequests(page);
    await openSeries(page, link);
    await expect(page.getByTestId("score-point")).toHaveCount(16);
    await expect(page.getByTestId("series-notes")).toContainText(`no point at step 45000 (${SERIES_FAILED_RUN}): failed: the endpoint went away after 1 question`);
    await expectSeriesSameAsCli(page, report);
    await expect(page.getByTestId("difference-verdict")).toContainText("Significantly ahead from step");
    await page.screenshot({ path: "test-results/screens/published-series.png", fullPage: true });

    // the trajectories of the second line; a question's responses at every checkpoint, read from the published records by Range
    await page.getByTestId("trajectory-line").selectOption("1");
    const rows = page.getByTestId("trajectory-row");
    await page.getByTestId("trajectory-filter").selectOption("forgotten");
    await expect(rows.first()).toHaveAttribute("data-kind", "forgotten");
    await expect(page.getByTestId("trajectory-count")).toHaveText(/^\d+ of 150 questions$/);
    const question = (await rows.first().getAttribute("data-question"))!;
    await rows.first().click();
    await expect(page.getByTestId("across-col")).toHaveCount(8);
    await expect(page.getByTestId("question-across").locator("pre").first()).toContainText(/\S/);
    await expect(page).toHaveURL(`${link}&traj=1&filter=forgotten&q=${encodeURIComponent(question)}`);
    await page.screenshot({ path: "test-results/screens/published-series-question.png", fullPage: true });
    const records = requests.filter((r) => r.url.endsWith("/records.parquet"));
    expect(records.length).toBeGreaterThan(0);
    expect(records.filter((r) => !r.range?.startsWith("bytes="))).toEqual([]);

    // a reload keeps the view; the first line's matrix and a flip's comparison open from it
    await page.reload();
    await expect(page.getByTestId("question-across")).toContainText(question);
    await page.getByRole("link", { name: `Matrix of ${base}` }).click();
    await expect(page.getByTestId("matrix-cell")).toHaveCount(8 * 7);
    await page.goBack();
    await page.locator(`[data-testid=flips-chart][data-model="${base}"] [data-testid=learned-link]`).first().click();
    await expect(page).toHaveURL(/\/series\/compare\.html\?v=2&candidate=demo-gsm8k-step10000&baseline=demo-gsm8k-step5000&.*c=only_candidate/);
    await expect(page.getByTestId("verdict")).toBeVisible({ timeout: 30_000 });

    // figures that were not computed when publishing are not made up
    await page.goto(`${link}&k=3`);
    await expect(page.getByTestId("series-problem")).toHaveText(/^This series view was not published/);
    await expect(page.getByRole("link", { name: `Series of ${base}, ${newmix} on gsm8k` })).toHaveAttribute("href", `series.html?${view}`);
    expect(requests.filter((r) => new URL(r.url).origin !== PUBLISHED_URL)).toEqual([]);
  });

  test("a suite's series: the aggregate and every member task as `evalbench series --suite --json`, each task's own series a click away", async ({ page }) => {
    const [base, newmix] = ["demo-lm-1b", "demo-lm-1b-newmix"];
    const report = JSON.parse(execFileSync("node", ["bin/evalbench.mjs", "series", "--model", base, "--model", newmix, "--suite", "core", "--json", "-w", SERIES_WORKSPACE], { encoding: "utf8" })) as SuiteReport;
    const gsm8k = JSON.parse(execFileSync("node", ["bin/evalbench.mjs", "series", "--model", base, "--model", newmix, "--task", "gsm8k", "--json", "-w", SERIES_WORKSPACE], { encoding: "utf8" })) as SeriesReport;
    const out = path.join(PUBLISHED_ROOT, "suite");
    const view = `line=${base}&line=${newmix}&suite=core`;
    const published = spawnSync("node", ["bin/evalbench.mjs", "publish", "-w", SERIES_WORKSPACE, "--series", `${MAIN_URL}/series?${view}`, "--out", out, "--base-url", `${PUBLISHED_URL}/suite/`], { encoding: "utf8" });
    expect(published.status, published.stderr).toBe(0);
    const link = published.stdout.trim().split("\n").at(-1)!;
    expect(link).toBe(`${PUBLISHED_URL}/suite/series.html?${view}`);

    const requests = recordRequests(page);
    await page.goto(link);
    await expect(page.getByTestId("score-point")).toHaveCount(16);
    await expect(page.getByTestId("series-notes")).toContainText("no runs of arc_challenge, hellaswag: the aggregate is over gsm8k, mmlu only");
    await expectSuiteSameAsCli(page, report);
    await page.screenshot({ path: "test-results/screens/published-suite.png", fullPage: true });
    await page.getByTestId("per-task-row").first().getByRole("link", { name: "gsm8k" }).click();
    await expect(page).toHaveURL(`${PUBLISHED_URL}/suite/series.html?line=${base}&line=${newmix}&task=gsm8k`);
    await expect(page.getByTestId("per-task-table")).toBeVisible({ timeout: 30_000 });
    await expectSeriesSameAsCli(page, gsm8k);
    expect(requests.filter((r) => new URL(r.url).origin !== PUBLISHED_URL)).toEqual([]);
  });

  test("bad targets get one line naming the bucket and endpoint, never the secret, and leave nothing behind", async () => {
    const missing = publish(["--to", "s3://no-such-bucket/x"], S3_ENV);
    expect(missing.status).toBe(1);
    expect(missing.stderr.split("\n")).toEqual([`evalbench: bucket no-such-bucket at ${S3_ENDPOINT} does not exist: create it, or check the bucket name`]);

    const unreachable = publish(["--to", `s3://${BUCKET}/x`], { ...S3_ENV, AWS_ENDPOINT_URL: "http://127.0.0.1:9" });
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr).toMatch(/^evalbench: cannot reach bucket reviews at http:\/\/127\.0\.0\.1:9 \(.*\): check AWS_ENDPOINT_URL and that the server is up$/);
    expect(unreachable.stderr).not.toContain("S3RVER");

    // wrong credentials: s3rver refuses an access key it does not know. (It computes no SigV4
    // signature: a known key with a wrong secret is lib/workspace/s3/signature.test.ts's, against moto.)
    const secret = "wrong-secret-never-printed-0123";
    const staging = fs.mkdtempSync(path.join(PUBLISHED_ROOT, "..", "staging-"));
    const refusedKey = publish(["--to", `s3://${BUCKET}/creds`], { ...S3_ENV, AWS_ACCESS_KEY_ID: "NOT-A-KEY", AWS_SECRET_ACCESS_KEY: secret, TMPDIR: staging });
    expect(refusedKey.status).toBe(1);
    expect(refusedKey.stderr.split("\n")).toEqual([`evalbench: bucket ${BUCKET} at ${S3_ENDPOINT} refused the credentials (InvalidAccessKeyId): check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE`]);
    expect(refusedKey.lines).toEqual([""]);
    expect(refusedKey.stderr).not.toContain(secret);
    // nothing in the bucket under that prefix, nothing left staged on this machine
    expect(await (await fetch(`${S3_ENDPOINT}/${BUCKET}?list-type=2&prefix=creds`)).text()).toContain("<KeyCount>0</KeyCount>");
    expect(fs.readdirSync(staging)).toEqual([]);

    // an existing folder is never overwritten
    const existing = path.join(PUBLISHED_ROOT, "existing");
    fs.mkdirSync(existing);
    fs.writeFileSync(path.join(existing, "keep.txt"), "mine");
    const refused = publish(["--out", existing]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(`evalbench: ${existing} already holds a published viewer, which never changes: publish to a new folder or prefix`);
    expect(fs.readdirSync(existing)).toEqual(["keep.txt"]);

    // a run that cannot be published stops it before anything is at the link
    const unfinished = spawnSync("node", ["bin/evalbench.mjs", "publish", "-w", MAIN_WORKSPACE, RUNS.candidate, RUNS.running, "--out", path.join(PUBLISHED_ROOT, "unfinished")], { encoding: "utf8" });
    expect(unfinished.status).toBe(1);
    expect(unfinished.stderr.trim()).toBe(`evalbench: run ${RUNS.running} is running and has no records.parquet yet: publish runs once they are finalized`);
    expect(fs.readdirSync(PUBLISHED_ROOT).filter((name) => name.includes("unfinished"))).toEqual([]);
  });
});

test.describe("the app's Publish button", () => {
  test("publishes the comparison where EVALBENCH_PUBLISH says; Copy link then gives the published link", async ({ page, context }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: MAIN_URL });
    const report = compareJson(MAIN_WORKSPACE, RUNS.candidate, RUNS.baseline);
    await openCompare(page, `/compare?a=${RUNS.candidate}&b=${RUNS.baseline}`);
    await page.getByTestId("publish").click();
    const published = page.getByTestId("published-link");
    await expect(published).toBeVisible({ timeout: 30_000 });
    const link = (await published.getAttribute("href"))!;
    expect(link).toMatch(new RegExp(`^${PUBLISHED_URL}/app/${RUNS.candidate}-vs-${RUNS.baseline}-[0-9a-z]+/compare\\.html\\?v=2&candidate=${RUNS.candidate}&baseline=${RUNS.baseline}&candidate_pin=[0-9a-f]{12}&baseline_pin=[0-9a-f]{12}$`));
    await page.screenshot({ path: "test-results/screens/compare-published.png" });
    await page.getByTestId("copy-link").click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);

    await openCompare(page, link);
    await expectSameAsCli(page, report);
  });

  test.describe("with a bucket as the target (EVALBENCH_PUBLISH=s3://...)", () => {
    let app: ChildProcess | undefined;
    test.beforeAll(async () => {
      app = await startApp(S3_PUBLISH_URL, { EVALBENCH_WORKSPACE: MAIN_WORKSPACE, EVALBENCH_PUBLISH: `s3://${BUCKET}/from-app`, ...S3_ENV });
    });
    test.afterAll(() => stopApp(app));

    test("uploads the comparison to the bucket; the copied link is the bucket's, and opens there with the CLI's figures", async ({ page, context }) => {
      await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: S3_PUBLISH_URL });
      const report = compareJson(MAIN_WORKSPACE, RUNS.candidate, RUNS.baseline);
      await openCompare(page, `${S3_PUBLISH_URL}/compare?a=${RUNS.candidate}&b=${RUNS.baseline}`);
      await page.getByTestId("publish").click();
      const published = page.getByTestId("published-link");
      await expect(published).toBeVisible({ timeout: 30_000 });
      const link = (await published.getAttribute("href"))!;
      expect(link).toMatch(new RegExp(`^${S3_ENDPOINT}/${BUCKET}/from-app/${RUNS.candidate}-vs-${RUNS.baseline}-[0-9a-z]+/compare\\.html\\?v=2&candidate=${RUNS.candidate}&baseline=${RUNS.baseline}&candidate_pin=[0-9a-f]{12}&baseline_pin=[0-9a-f]{12}$`));
      await page.screenshot({ path: "test-results/screens/compare-published-s3.png" });
      await page.getByTestId("copy-link").click();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);

      // served by the S3 API server from the bucket: nothing from the app's origin or elsewhere
      const requests = recordRequests(page);
      await openCompare(page, link);
      await expectSameAsCli(page, report);
      await page.screenshot({ path: "test-results/screens/published-from-app-s3.png" });
      expect(requests.filter((r) => new URL(r.url).origin !== S3_ENDPOINT)).toEqual([]);
    });
  });
});

test("the CLI refuses a publish with no target", () => {
  expect(() => execFileSync("node", ["bin/evalbench.mjs", "publish", RUNS.candidate, "-w", MAIN_WORKSPACE], { encoding: "utf8", stdio: "pipe" })).toThrow(/say where to publish: --out DIR or --to s3:\/\/BUCKET\/PREFIX/);
});
