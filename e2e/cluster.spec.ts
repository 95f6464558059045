import { spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { startTestCluster, type TestCluster } from "@/lib/cluster/testing/slurm-cluster";
import { S3Objects } from "@/lib/s3/objects";
import { startS3Server, type S3Server } from "@/lib/s3/testing/s3-server";
import { startSim, type SimServer } from "@/lib/sim/server";
import { startApp, stopApp } from "./fixtures/child-server";
import { CLUSTER_DATA, CLUSTER_DIR, CLUSTER_HARNESS, CLUSTER_URL, CLUSTER_WORKSPACE, S3_CLUSTER_ROOT, S3_CLUSTER_URL } from "./fixtures/paths";
import { expect, test } from "./fixtures/test";

/*
 * A real single-node Slurm cluster started for this spec (its slurm.conf where the cluster server's
 * SLURM_CONF points), jobs that serve `evalbench sim`, and the app following them live.
 */
const bin = path.resolve("bin", "evalbench.mjs");
const QUESTIONS = 30;
let cluster: TestCluster;
let sim: SimServer;

test.describe.configure({ mode: "serial", timeout: 240_000 });
test.use({ viewport: { width: 1400, height: 900 } });

test.beforeAll(async () => {
  cluster = await startTestCluster(CLUSTER_DIR);
  fs.mkdirSync(path.join(CLUSTER_DATA, "gsm8k"), { recursive: true });
  const lines = Array.from({ length: QUESTIONS }, (_, i) => JSON.stringify({ question: `What is ${i} + ${i}?`, answer: `#### ${2 * i}` }));
  fs.writeFileSync(path.join(CLUSTER_DATA, "gsm8k", "test.jsonl"), lines.join("\n"));
  // the endpoint the launch page's jobs call: three checkpoints of one model, slow enough to watch
  const { planTask } = await import("@/lib/runner/plan");
  const { resolveTask } = await import("@/lib/runner/registry");
  const { HARNESS_PRESETS } = await import("@/lib/runner/harness");
  const { simQuestions } = await import("@/lib/sim/from-plan");
  await import("@/lib/runner/tasks");
  const plan = await planTask(resolveTask("gsm8k", ["fewshot.n=0"]), HARNESS_PRESETS.default, { data: path.join(CLUSTER_DATA, "gsm8k"), cacheDir: path.join(CLUSTER_DIR, "cache"), limit: null });
  // the server's harness file: a preset whose model server is `evalbench sim` serving the model a checkpoint folder names
  const serve = `${process.execPath} ${bin} sim --port {port} --checkpoint "$(cat {checkpoint}/name)=0.6" -t gsm8k --data ${CLUSTER_DATA}/gsm8k -o fewshot.n=0 --latency-ms 100`;
  fs.writeFileSync(CLUSTER_HARNESS, JSON.stringify({ "sim-served": { description: "evalbench sim per checkpoint", concurrency: 2, serve: { command: serve, timeout_s: 60 } } }));
  sim = await startSim({ checkpoints: ["a", "b", "c"].map((c, i) => ({ name: `olmo-${c}`, accuracy: 0.3 + 0.2 * i })), questions: simQuestions([plan]), latencyMs: 250 });
});
test.afterAll(async () => {
  await sim?.close();
  fs.rmSync(CLUSTER_HARNESS, { force: true });
  await cluster?.stop();
});

test("a 3-checkpoint series submitted from the CLI is followed live on the runs page: queued, running with progress, done", async ({ page }) => {
  const folders = ["step100", "step200", "step300"].map((name) => {
    const dir = path.join(CLUSTER_DIR, "ckpt", name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "name"), `olmo-${name}`);
    return dir;
  });
  const series = path.join(CLUSTER_DIR, "series.txt");
  fs.writeFileSync(series, folders.map((f, i) => `${f} ${(i + 1) * 100}`).join("\n"));
  // the page is open before anything is submitted: jobs started elsewhere appear on their own
  await page.goto(`${CLUSTER_URL}/`);
  const serve = `${process.execPath} ${bin} sim --port {port} --checkpoint "$(cat {checkpoint}/name)=0.6" -t gsm8k --data ${CLUSTER_DATA}/gsm8k -o fewshot.n=0 --latency-ms 250`;
  const submit = spawnSync(process.execPath, [bin, "run", "-t", "gsm8k", "--data", path.join(CLUSTER_DATA, "gsm8k"), "-o", "fewshot.n=0", "--concurrency", "1", "--model-name", "olmo-cli", "--series", series, "--serve", serve, "--executor", "slurm", "-w", CLUSTER_WORKSPACE], { env: cluster.env, encoding: "utf8" });
  expect(submit.stderr).toBe("");

  const rows = page.getByTestId("cluster-job-row");
  await expect(rows).toHaveCount(3);
  // two CPUs: two jobs run, the third waits in Slurm's queue with its reason
  await expect(page.getByTestId("cluster-job-row").filter({ hasText: "step300" })).toHaveAttribute("data-state", /queued|running/);
  const progress = rows.first().getByTestId("run-progress");
  await expect(progress).toBeVisible({ timeout: 60_000 });
  await expect.poll(async () => Number(await progress.getAttribute("data-done")), { timeout: 30_000 }).toBeGreaterThan(0);
  const seen = Number(await progress.getAttribute("data-done"));
  await expect.poll(async () => Number(await progress.getAttribute("data-done")), { timeout: 30_000 }).toBeGreaterThan(seen);
  await expect(progress).toHaveAttribute("data-planned", String(QUESTIONS));
  await page.screenshot({ path: "test-results/cluster-jobs-running.png" });

  for (const step of ["step100", "step200", "step300"]) await expect(rows.filter({ hasText: step })).toHaveAttribute("data-state", "done", { timeout: 120_000 });
  // the runs list picks the finished runs up, and each run page names its job with its logs
  await expect(page.locator("table").last().getByRole("link", { name: /gsm8k-olmo-cli-step300/ })).toBeVisible();
  await page.getByRole("link", { name: /gsm8k-olmo-cli-step100/ }).first().click();
  const line = page.getByTestId("cluster-job");
  await expect(line).toContainText("COMPLETED");
  const log = await page.request.get(`${CLUSTER_URL}${await line.getByTestId("job-log").getAttribute("href")}`);
  expect(await log.text()).toMatch(/gsm8k-olmo-cli-step100-\w+ {2}complete/);
  const serveLog = await page.request.get(`${CLUSTER_URL}${await line.getByTestId("serve-log").getAttribute("href")}`);
  expect(await serveLog.text()).toContain("olmo-step100 (0.6)");
  await page.screenshot({ path: "test-results/cluster-run-page.png" });
});

test("a series launched from the launch page runs as Slurm jobs, one per checkpoint; a bad partition is named next to the executor", async ({ page }) => {
  await page.goto(`${CLUSTER_URL}/launch`);
  await page.getByLabel("Evaluate a checkpoint series").check();
  await page.getByLabel("Search tasks").fill("gsm8k");
  await page.locator('input[name="tasks"][value="gsm8k"]').check();
  await page.getByLabel("Endpoint (OpenAI-compatible)").fill(sim.url);
  await page.getByLabel("Model name").fill("olmo-page");
  await page.getByLabel("Checkpoints, one per line").fill("step-1 1 olmo-a\nstep-2 2 olmo-b\nstep-3 3 olmo-c");
  await page.getByLabel("Overrides, one key=value per line").fill("fewshot.n=0");
  await page.getByLabel("Concurrency (requests at once)").fill("1");
  await page.getByLabel("Slurm: one job per checkpoint").check();
  await page.getByLabel("Partition").fill("nope");
  await page.getByTestId("launch-submit").click();
  await expect(page.getByTestId("error-executor")).toHaveText("sbatch failed: Batch job submission failed: Invalid partition name specified (with --partition=nope)");
  await page.getByTestId("executor").scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/launch-slurm.png" });
  await page.getByLabel("Time limit per job").fill("2 hours");
  await page.getByTestId("launch-submit").click();
  await expect(page.getByTestId("error-time")).toHaveText("2 hours is not a Slurm time; e.g. 2:00:00");

  await page.getByLabel("Time limit per job").fill("10:00");
  await page.getByLabel("Partition").fill(cluster.partition);
  await page.getByTestId("launch-submit").click();
  await page.waitForURL(`${CLUSTER_URL}/`);
  const rows = page.getByTestId("cluster-job-row").filter({ hasText: "olmo-page" });
  await expect(rows).toHaveCount(3);
  await expect.poll(async () => Number(await rows.getByTestId("run-progress").first().getAttribute("data-done")), { timeout: 90_000 }).toBeGreaterThan(0);
  for (const step of ["step-1", "step-2", "step-3"]) await expect(rows.filter({ hasText: step })).toHaveAttribute("data-state", "done", { timeout: 150_000 });
  await page.screenshot({ path: "test-results/cluster-jobs-done.png", fullPage: true });
  // each job ran its checkpoint's served model
  const runs = fs.readdirSync(path.join(CLUSTER_WORKSPACE, "runs")).filter((id) => id.includes("olmo-page"));
  expect(runs).toHaveLength(3);
  for (const id of runs) expect(JSON.parse(fs.readFileSync(path.join(CLUSTER_WORKSPACE, "runs", id, "run.json"), "utf8"))).toMatchObject({ status: "complete", counts: { planned: QUESTIONS, done: QUESTIONS } });
});

/** What a trainer does: a checkpoint folder naming the model sim serves, and its ready file last. */
function writeCheckpoint(dir: string, model: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "name"), model);
  fs.writeFileSync(path.join(dir, "done"), "");
}

test("a harness preset's model server from the launch page: its command shown read-only, never sent; a form carrying a command is refused", async ({ page }) => {
  const folder = path.join(CLUSTER_DIR, "served", "step7");
  writeCheckpoint(folder, "olmo-step7");
  await page.goto(`${CLUSTER_URL}/launch`);
  await page.getByLabel("Search tasks").fill("gsm8k");
  await page.locator('input[name="tasks"][value="gsm8k"]').check();
  await page.getByLabel("Harness preset").selectOption("sim-served");
  await expect(page.getByTestId("serve-template")).toContainText('sim --port {port} --checkpoint "$(cat {checkpoint}/name)=0.6"');
  await expect(page.getByTestId("serve-template")).toContainText("wait up to 60 s");
  await expect(page.getByLabel("Endpoint (OpenAI-compatible)")).toBeDisabled();
  await page.getByLabel("Model name").fill("olmo-served");
  await page.getByLabel("Checkpoint", { exact: true }).fill(folder);
  await page.getByLabel("Step", { exact: true }).fill("7");
  await page.getByLabel("Overrides, one key=value per line").fill("fewshot.n=0");
  await page.getByTestId("test-endpoint").click();
  await expect(page.getByTestId("endpoint-test")).toContainText("The plan (the harness preset's model server starts with each run; nothing was started or sent):");
  await expect(page.getByTestId("endpoint-test")).toContainText("(from harness preset sim-served; --serve would replace it), given 60 s to answer");
  await page.getByTestId("serve-template").scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/launch-serve-preset.png" });

  // a page that adds a command of its own to the form gets nothing started
  await page.evaluate(() => {
    const input = Object.assign(document.createElement("input"), { type: "hidden", name: "serve", value: "touch /tmp/pwned-{port}" });
    document.querySelector('[data-testid="launch-form"]')?.append(input);
  });
  await page.getByTestId("launch-submit").click();
  await expect(page.getByRole("alert").filter({ hasText: "the launch form has no field serve" })).toHaveText("the launch form has no field serve: a model server is started only by a harness preset of the server, picked by name");
  await page.evaluate(() => document.querySelector('input[name="serve"]')?.remove());

  await page.getByTestId("launch-submit").click();
  await page.waitForURL(`${CLUSTER_URL}/`);
  await expect(page.getByTestId("launch-job").filter({ hasText: "step7" })).toHaveAttribute("data-state", "done", { timeout: 90_000 });
  const [run] = fs.readdirSync(path.join(CLUSTER_WORKSPACE, "runs")).filter((id) => id.includes("olmo-served"));
  expect(JSON.parse(fs.readFileSync(path.join(CLUSTER_WORKSPACE, "runs", run, "run.json"), "utf8"))).toMatchObject({ status: "complete", model: { checkpoint: "step7", step: 7 }, harness: { name: "sim-served" }, counts: { done: QUESTIONS } });
});

test("watch a folder from the launch page: a Slurm job per new checkpoint with the preset's model server, listed with its counts, then stopped", async ({ page }) => {
  // a folder of its own: the server's watchers list keeps those of earlier runs of this spec
  const watched = path.join(CLUSTER_DIR, `watched-${Date.now()}`);
  fs.mkdirSync(watched, { recursive: true });
  await page.goto(`${CLUSTER_URL}/launch`);
  await page.getByTestId("open-watch-form").click();
  const form = page.getByTestId("watch-form");
  await form.getByLabel("Folder on this server").fill(path.join(CLUSTER_DIR, "nowhere"));
  await form.getByLabel("Tasks or suites").fill("gsm8k");
  await form.getByLabel("Model name of the runs").fill("olmo-watch");
  await form.getByLabel("Ready file").fill("done");
  await form.getByLabel("Overrides, one key=value per line").fill("fewshot.n=0");
  await form.getByLabel("Slurm: one job per checkpoint").check();
  await form.getByLabel("Partition").fill(cluster.partition);
  await expect(form.getByTestId("serve-template")).toContainText("sim --port {port}");
  await form.getByTestId("watch-submit").click();
  await expect(page.getByTestId("w-error-folder")).toHaveText(`${path.join(CLUSTER_DIR, "nowhere")} does not exist on this server: create it, or name the folder the trainer writes its checkpoints into`);
  await form.getByLabel("Ready file").fill("../done");
  await form.getByTestId("watch-submit").click();
  await expect(page.getByTestId("w-error-ready_file")).toHaveText("../done is not a file name: name the file the trainer writes last in each checkpoint folder, e.g. done or config.json");
  await page.screenshot({ path: "test-results/watch-form-errors.png", fullPage: true });

  await form.getByLabel("Folder on this server").fill(watched);
  await form.getByLabel("Ready file").fill("done");
  await form.getByTestId("watch-submit").click();
  const row = page.getByTestId("watcher-row").filter({ hasText: path.basename(watched) });
  await expect(row).toHaveAttribute("data-state", "watching");
  await expect(row).toHaveAttribute("data-seen", "0");

  writeCheckpoint(path.join(watched, "step500"), "olmo-step500");
  await expect(row).toHaveAttribute("data-seen", "1", { timeout: 20_000 });
  await expect(row).toHaveAttribute("data-evaluated", "1", { timeout: 150_000 });
  await expect(row.getByTestId("watcher-counts")).toHaveText("1 seen · 1 evaluated · 0 in progress · 0 failed");
  await page.getByTestId("watch-folder").scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/watchers-list.png" });
  const runs = fs.readdirSync(path.join(CLUSTER_WORKSPACE, "runs")).filter((id) => id.includes("olmo-watch"));
  expect(runs).toHaveLength(1);
  expect(JSON.parse(fs.readFileSync(path.join(CLUSTER_WORKSPACE, "runs", runs[0], "run.json"), "utf8"))).toMatchObject({ status: "complete", model: { name: "olmo-watch", checkpoint: "step500", step: 500 }, counts: { done: QUESTIONS } });
  await page.goto(`${CLUSTER_URL}/`);
  await expect(page.getByTestId("cluster-job-row").filter({ hasText: "olmo-watch" })).toHaveAttribute("data-state", /done|unknown/);

  await page.goto(`${CLUSTER_URL}/launch`);
  await row.getByTestId("stop-watcher").click();
  await expect(row).toHaveAttribute("data-state", "stopped", { timeout: 15_000 });
  writeCheckpoint(path.join(watched, "step600"), "olmo-step600");
  await page.waitForTimeout(4000);
  expect(fs.readdirSync(path.join(CLUSTER_WORKSPACE, "runs")).filter((id) => id.includes("olmo-watch"))).toHaveLength(1);
  await page.getByTestId("watch-folder").scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/watcher-stopped.png" });
});

test.describe("the app on a bucket workspace, submitting to the same cluster", () => {
  // the app's environment: the bucket's (s3rver), the cluster's slurm.conf, the harness file, and
  // its cache, where the bucket's local mirror keeps the jobs, logs and watchers
  const WORKSPACE = "s3://lab-evals/cluster";
  const AWS = ["AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"];
  let s3: S3Server | undefined;
  let app: ChildProcess | undefined;
  const objects = () => new S3Objects({ bucket: "lab-evals", prefix: "cluster" });
  /** The bucket's run.json of every run whose id holds `name`. */
  const bucketRuns = async (name: string) => {
    const keys = (await objects().list("runs/")).filter((o) => o.key.includes(name) && o.key.endsWith("/run.json"));
    return Promise.all(keys.map(async (o) => JSON.parse((await objects().read(o.key))!.toString()) as { status: string; model: { checkpoint: string }; counts: { done: number } }));
  };

  test.beforeAll(async () => {
    fs.rmSync(S3_CLUSTER_ROOT, { recursive: true, force: true });
    s3 = await startS3Server(["lab-evals"]);
    app = await startApp(S3_CLUSTER_URL, { EVALBENCH_WORKSPACE: WORKSPACE, SLURM_CONF: cluster.conf, EVALBENCH_DATA: CLUSTER_DATA, EVALBENCH_HARNESS_FILE: CLUSTER_HARNESS, XDG_CACHE_HOME: path.join(S3_CLUSTER_ROOT, "cache") });
  });
  test.afterAll(() => {
    stopApp(app);
    s3?.close();
    for (const name of AWS) delete process.env[name];
  });

  test("a series launched from its launch page runs as Slurm jobs writing to the bucket; the runs page follows the jobs and serves their logs", async ({ page }) => {
    await page.goto(`${S3_CLUSTER_URL}/launch`);
    await page.getByLabel("Evaluate a checkpoint series").check();
    await page.getByLabel("Search tasks").fill("gsm8k");
    await page.locator('input[name="tasks"][value="gsm8k"]').check();
    await page.getByLabel("Endpoint (OpenAI-compatible)").fill(sim.url);
    await page.getByLabel("Model name").fill("olmo-bucket");
    await page.getByLabel("Checkpoints, one per line").fill("step-1 1 olmo-a\nstep-2 2 olmo-b");
    await page.getByLabel("Overrides, one key=value per line").fill("fewshot.n=0");
    await page.getByLabel("Concurrency (requests at once)").fill("1");
    await page.getByLabel("Slurm: one job per checkpoint").check();
    await page.getByLabel("Partition").fill(cluster.partition);
    await page.getByLabel("Time limit per job").fill("10:00");
    // where the jobs' runs go, and where their records and logs stay
    const mirror = path.join(S3_CLUSTER_ROOT, "cache", "evalbench", "s3", `127.0.0.1_${new URL(s3!.url).port}`, "lab-evals", "cluster");
    await expect(page.getByTestId("slurm-bucket")).toHaveText(`Each job writes its runs to the bucket ${WORKSPACE}; the job records and logs stay in this server's copy of the bucket, ${mirror}, which the compute nodes must share (the home directory on most clusters).`);
    await page.getByTestId("executor").scrollIntoViewIfNeeded();
    await page.screenshot({ path: "test-results/s3-cluster-launch.png" });
    await page.getByTestId("launch-submit").click();
    await page.waitForURL(`${S3_CLUSTER_URL}/`);
    const rows = page.getByTestId("cluster-job-row").filter({ hasText: "olmo-bucket" });
    await expect(rows).toHaveCount(2);
    await expect.poll(async () => Number(await rows.getByTestId("run-progress").first().getAttribute("data-done")), { timeout: 90_000 }).toBeGreaterThan(0);
    await page.screenshot({ path: "test-results/s3-cluster-jobs-running.png" });
    for (const step of ["step-1", "step-2"]) await expect(rows.filter({ hasText: step })).toHaveAttribute("data-state", "done", { timeout: 150_000 });
    await page.screenshot({ path: "test-results/s3-cluster-jobs-done.png", fullPage: true });

    // the runs are the bucket's, complete; the runs list reads them from it
    expect((await bucketRuns("olmo-bucket")).map((m) => [m.model.checkpoint, m.status, m.counts.done]).sort()).toEqual([["step-1", "complete", QUESTIONS], ["step-2", "complete", QUESTIONS]]);
    await expect(page.locator("table").last().getByRole("link", { name: /gsm8k-olmo-bucket-step-2/ })).toBeVisible({ timeout: 15_000 });
    // a job's log, written by Slurm into the mirror, through the app's file route
    const log = await page.request.get(`${S3_CLUSTER_URL}${await rows.filter({ hasText: "step-1" }).getByTestId("job-log").getAttribute("href")}`);
    expect(log.status()).toBe(200);
    expect(await log.text()).toMatch(/gsm8k-olmo-bucket-step-1-\w+ {2}complete/);
  });

  test("watch a folder from its launch page: a Slurm job per new checkpoint, its run in the bucket, counted in the watcher's row", async ({ page }) => {
    const watched = path.join(S3_CLUSTER_ROOT, "watched");
    fs.mkdirSync(watched, { recursive: true });
    await page.goto(`${S3_CLUSTER_URL}/launch`);
    await page.getByTestId("open-watch-form").click();
    const form = page.getByTestId("watch-form");
    await form.getByLabel("Folder on this server").fill(watched);
    await form.getByLabel("Tasks or suites").fill("gsm8k");
    await form.getByLabel("Model name of the runs").fill("olmo-bwatch");
    await form.getByLabel("Ready file").fill("done");
    await form.getByLabel("Overrides, one key=value per line").fill("fewshot.n=0");
    await form.getByLabel("Slurm: one job per checkpoint").check();
    await form.getByLabel("Partition").fill(cluster.partition);
    await expect(form.getByTestId("w-slurm-bucket")).toContainText(`Each job writes its runs to the bucket ${WORKSPACE}`);
    await form.getByTestId("watch-submit").click();
    const row = page.getByTestId("watcher-row").filter({ hasText: "watched" });
    await expect(row).toHaveAttribute("data-state", "watching");

    writeCheckpoint(path.join(watched, "step900"), "olmo-step900");
    await expect(row).toHaveAttribute("data-seen", "1", { timeout: 20_000 });
    await expect(row).toHaveAttribute("data-evaluated", "1", { timeout: 150_000 });
    await expect(row.getByTestId("watcher-counts")).toHaveText("1 seen · 1 evaluated · 0 in progress · 0 failed");
    await page.getByTestId("watch-folder").scrollIntoViewIfNeeded();
    await page.screenshot({ path: "test-results/s3-cluster-watchers.png" });
    expect(await bucketRuns("olmo-bwatch")).toMatchObject([{ status: "complete", model: { checkpoint: "step900" }, counts: { done: QUESTIONS } }]);
    await row.getByTestId("stop-watcher").click();
    await expect(row).toHaveAttribute("data-state", "stopped", { timeout: 15_000 });
  });
});
