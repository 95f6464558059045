// The catalog of a bucket workspace at scale: BENCH_RUNS (default 100,000) finished runs in a bucket
// served by a real S3 API server (s3rver, started here), with their compacted index. Prints JSON
// lines of figures: the listing in-process, the runs page's data request (/api/runs) and, in
// headless Chromium, the time to the runs table's first row, then `evalbench ls --json` as a whole
// process. Figures only: nothing here passes or fails on time.
// The runs and the index are written straight through the store (writing 100,000 runs for real
// measures the writer): one real run's run.json under new ids, its records.parquet beside each.
// The bucket's folder is kept in ~/.cache/evalbench/bench/ (EVALBENCH_CACHE moves it), keyed by
// the run count and BUCKET_VERSION: filling it takes minutes. The page part needs `npm run build`
// (run here if .next is missing); BENCH_PAGE=0 skips it, BENCH_CHECKED_LS=0 the checked `ls --json` (minutes on s3rver).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { encodeCompacted, withSummary } from "@/lib/catalog/compacted";
import { COMPACTED_KEY, runState } from "@/lib/catalog/entries";
import { listCatalog } from "@/lib/catalog/list";
import { catalogStore } from "@/lib/catalog/store";
import { writeBucketRun } from "@/lib/catalog/testing/bucket-run";
import { mapAtMost } from "@/lib/s3/at-most";
import { S3Objects } from "@/lib/s3/objects";
import { startS3Server } from "@/lib/s3/testing/s3-server";
import { parseManifest } from "@/lib/schema";
import { MANIFEST_FILE, RECORDS_FILE } from "@/lib/workspace/paths";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { domProbe, probedMs, withServedWorkspace } from "./page-server";

const RUNS = Number(process.env.BENCH_RUNS ?? 100_000);
/** Changes when what the bench writes into the bucket changes: a new folder is filled then. */
const BUCKET_VERSION = 1;
const BUCKET = "bench-evals";
const WORKSPACE = `s3://${BUCKET}/team`;
const PORT = Number(process.env.BENCH_PORT ?? 3192);
const PUTS_AT_ONCE = 32;
const root = path.join(import.meta.dirname, "..");
const cache = process.env.EVALBENCH_CACHE || path.join(os.homedir(), ".cache", "evalbench");
const folder = path.join(cache, "bench", `s3-catalog-v${BUCKET_VERSION}-${RUNS}`);
const filled = path.join(folder, "filled");
const load = () => os.loadavg()[0].toFixed(2);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const print = (figures: Record<string, unknown>) => console.log(JSON.stringify({ bench: "s3-catalog", runs: RUNS, ...figures, load_1m: load() }));

fs.mkdirSync(folder, { recursive: true });
const s3 = await startS3Server([BUCKET], { directory: folder });
process.env.XDG_CACHE_HOME = tempWorkspace();
try {
  if (!fs.existsSync(filled)) {
    const start = performance.now();
    await writeBucketRun(WORKSPACE, "run-0");
    const objects = new S3Objects({ bucket: BUCKET, prefix: "team" });
    const manifest = parseManifest(JSON.parse((await objects.read(`runs/run-0/${MANIFEST_FILE}`))!.toString()));
    const records = (await objects.read(`runs/run-0/${RECORDS_FILE}`))!;
    const rows = await mapAtMost(
      Array.from({ length: RUNS }, (_, i) => i),
      PUTS_AT_ONCE,
      async (i) => {
        const runId = `run-${i}`;
        const metrics = { ...manifest.metrics, exact_match: { ...manifest.metrics.exact_match, value: (i % 997) / 997 } };
        const copy = { ...manifest, run_id: runId, model: { ...manifest.model, name: `bench-${i % 50}`, checkpoint: `step-${i}`, step: i }, metrics };
        const text = JSON.stringify(copy, null, 2);
        if (i > 0) await Promise.all([objects.replace(`runs/${runId}/${MANIFEST_FILE}`, text), objects.replace(`runs/${runId}/${RECORDS_FILE}`, records)]);
        return withSummary(runState(copy, i > 0 ? text : JSON.stringify(manifest, null, 2)));
      },
    );
    // run-0's own run.json, as its writer uploaded it
    rows[0] = withSummary(runState(manifest, (await objects.read(`runs/run-0/${MANIFEST_FILE}`))!.toString()));
    const store = await catalogStore(WORKSPACE);
    for (const name of await store.list("index/entries")) await store.delete(`index/entries/${name}`);
    await store.replace(COMPACTED_KEY, encodeCompacted(rows));
    fs.writeFileSync(filled, "");
    print({ what: "filled the bucket (once; kept in the cache)", ms: Math.round(performance.now() - start), folder });
  }

  const start = performance.now();
  const listed = await listCatalog(WORKSPACE, { check: false });
  print({ what: "listCatalog in-process, from the index, unchecked (what the runs page starts from)", ms: Math.round(performance.now() - start), listed: listed.length });

  if (process.env.BENCH_PAGE !== "0") {
    await withServedWorkspace(
      WORKSPACE,
      PORT,
      async (browser) => {
        const url = `http://127.0.0.1:${PORT}`;
        for (const [what, query] of [["first page, newest first", ""], ["sorted by primary metric, filtered by model", "sort=-value&filter.model=bench-7"]] as const) {
          const requests: number[] = [];
          for (let i = 0; i < 5; i++) {
            const t = performance.now();
            const response = await fetch(`${url}/api/runs?${query}&limit=100`);
            if (!response.ok) throw new Error(`/api/runs answered ${response.status}: ${await response.text()}`);
            await response.json();
            requests.push(performance.now() - t);
          }
          print({ what: `runs page data request (/api/runs): ${what}`, first_ms: Math.round(requests[0]), ms_median: Math.round(median(requests)) });
          const firstRows: number[] = [];
          for (let i = 0; i < 3; i++) {
            const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
            const page = await context.newPage();
            await page.addInitScript(domProbe("[data-testid=runs-table] tbody tr[data-run-id]"));
            await page.goto(`${url}/?${query}`, { timeout: 120_000 });
            await page.locator("[data-testid=runs-table] tbody tr[data-run-id]").first().waitFor({ timeout: 120_000 });
            firstRows.push((await probedMs(page)) ?? NaN);
            if (i === 0 && query === "") await page.screenshot({ path: path.join(os.tmpdir(), "s3-catalog-runs.png") });
            await context.close();
          }
          print({ what: `runs page in Chromium, time to first row: ${what}`, ms_each: firstRows.map(Math.round), ms_median: Math.round(median(firstRows)) });
        }
      },
      { keepWorkspace: true },
    );
  }

  /** `evalbench ls --json` as a whole process: wall and CPU milliseconds, megabytes printed. */
  const timeLs = (extra: string[]) => {
    const command = [process.execPath, path.join(root, "bin", "evalbench.mjs"), "ls", "--json", ...extra, "--workspace", WORKSPACE].map((a) => `'${a}'`).join(" ");
    const out = path.join(process.env.XDG_CACHE_HOME!, "ls.json");
    const t = performance.now();
    const run = spawnSync("bash", ["-c", `TIMEFORMAT='%U %S'; time (${command} > '${out}')`], { encoding: "utf8" });
    const ms = performance.now() - t;
    if (run.status !== 0) throw new Error(`evalbench ls --json failed: ${run.stderr}`);
    const [user, sys] = run.stderr.trim().split("\n").at(-1)!.split(" ").map(Number);
    return { ms: Math.round(ms), cpu_ms: Math.round((user + sys) * 1000), stdout_mb: +(fs.statSync(out).size / 1e6).toFixed(1) };
  };
  const unchecked = [timeLs(["--no-check"]), timeLs(["--no-check"]), timeLs(["--no-check"])];
  print({ what: "evalbench ls --json --no-check, whole process, from the index alone", ms_each: unchecked.map((r) => r.ms), ms_median: median(unchecked.map((r) => r.ms)), cpu_ms_median: median(unchecked.map((r) => r.cpu_ms)), stdout_mb: unchecked[0].stdout_mb });
  // once: it lists all of runs/ (200 requests for 100,000 runs), minutes on s3rver, which walks its
  // folders and reads each object's metadata files
  if (process.env.BENCH_CHECKED_LS !== "0") print({ what: "evalbench ls --json, whole process, every run checked", ...timeLs([]) });
} finally {
  s3.close();
}
