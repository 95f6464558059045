// The catalog at scale: BENCH_RUNS (default 100,000) finished runs in one workspace, indexed by
// `evalbench reindex`, plus a few hundred state changes written since by the real RunWriter (loose
// entries beside the compacted file, as between two compactions). Prints JSON lines of figures:
// reindex (the full scan, what every listing cost before the index), listing in-process,
// `evalbench ls --json` and `ls` as whole processes, the runs page's data request, and in headless
// Chromium the time to the runs table's first row; wall and CPU time (the server's, read from /proc,
// at a resolution of 10 ms), with the load. Figures only: nothing here passes or fails on time.
// The page part needs `npm run build` (run here if .next is missing); BENCH_PAGE=0 skips it.
// BENCH_WORKSPACE=<dir> keeps the workspace there between runs (building 100,000 runs is slow);
// BENCH_REINDEX=0 then skips the reindex, BENCH_CLI=0 the CLI's figures.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { listCatalog } from "@/lib/catalog/list";
import { reindex } from "@/lib/catalog/reindex";
import { MANIFEST_FILE, RECORDS_FILE, runDir } from "@/lib/workspace/paths";
import { RunWriter } from "@/lib/workspace/run-writer";
import { benchRun } from "./bench-run";
import { domProbe, probedMs, withServedWorkspace } from "./page-server";

const RUNS = Number(process.env.BENCH_RUNS ?? 100_000);
const LOOSE = 300;
const PORT = Number(process.env.BENCH_PORT ?? 3191);
const root = path.join(import.meta.dirname, "..");
const kept = process.env.BENCH_WORKSPACE;
const workspace = kept ?? fs.mkdtempSync(path.join(os.tmpdir(), "evalbench-bench-catalog-"));
const load = () => os.loadavg()[0].toFixed(2);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const print = (figures: Record<string, unknown>) => console.log(JSON.stringify({ bench: "catalog", runs: RUNS, ...figures, load_1m: load() }));

function writeRun(runId: string, step: number): RunWriter {
  const writer = RunWriter.create(workspace, { ...benchRun(runId, 100, { checkpoint: `step-${step}`, step }), model: { name: `bench-${step % 50}`, checkpoint: `step-${step}`, step } });
  for (let i = 0; i < 100; i++) writer.append({ task: "bench", instance_id: `q${i}`, instance_hash: `h${i}`, score: (i * step) % 3 === 0 ? 1 : 0 });
  return writer;
}

// One real run, then copies of its folder under new ids (writing 100,000 runs for real measures the
// writer, not the catalog); the copies reach the index through reindex, as runs from before it do.
if (kept && fs.existsSync(runDir(workspace, `run-${RUNS - 1}`))) {
  // a kept workspace: the last run's late runs go, so each run of the bench lists the same runs
  for (const name of fs.readdirSync(path.dirname(runDir(workspace, "run-0")))) if (name.startsWith("late-")) fs.rmSync(runDir(workspace, name), { recursive: true });
} else {
  fs.mkdirSync(workspace, { recursive: true });
  const manifest = writeRun("run-0", 0).finalize();
  const records = fs.readFileSync(path.join(runDir(workspace, "run-0"), RECORDS_FILE));
  for (let i = 1; i < RUNS; i++) {
    const dir = runDir(workspace, `run-${i}`);
    fs.mkdirSync(dir);
    const metrics = { ...manifest.metrics, exact_match: { ...manifest.metrics.exact_match, value: (i % 997) / 997 } };
    fs.writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify({ ...manifest, run_id: `run-${i}`, model: { ...manifest.model, name: `bench-${i % 50}`, checkpoint: `step-${i}`, step: i }, metrics }, null, 2));
    fs.writeFileSync(path.join(dir, RECORDS_FILE), records);
  }
}

let start = performance.now();
// BENCH_REINDEX=0 with a kept workspace: its index is there already (the late runs get new states below)
if (process.env.BENCH_REINDEX !== "0") {
  const report = await reindex(workspace);
  print({ what: "evalbench reindex (reads every run folder)", ms: Math.round(performance.now() - start), broken: report.broken.length });
}

// state changes since the compaction: new runs, started and finished
for (let i = 0; i < LOOSE / 2; i++) writeRun(`late-${i}`, RUNS + i).finalize();
start = performance.now();
const cpuStart = process.cpuUsage();
const listed = await listCatalog(workspace);
const cpuUsed = process.cpuUsage(cpuStart);
print({ what: "listCatalog in-process, every run checked", ms: Math.round(performance.now() - start), cpu_ms: Math.round((cpuUsed.user + cpuUsed.system) / 1000), listed: listed.length, loose_entries: LOOSE });

// wall time, and the CPU time the process used (user + system, from bash's `time`): on 2 cores
// shared with other work, the CPU time is what the load inflates least
const cli = (...args: string[]) => {
  const times: number[] = [];
  const cpu: number[] = [];
  let bytes = 0;
  const command = [process.execPath, path.join(root, "bin", "evalbench.mjs"), ...args, "--workspace", workspace].map((a) => `'${a}'`).join(" ");
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const out = spawnSync("bash", ["-c", `TIMEFORMAT='%U %S'; time (${command} > "$OUT")`], { encoding: "utf8", env: { ...process.env, OUT: path.join(workspace, "ls.out") } });
    times.push(performance.now() - t);
    if (out.status !== 0) throw new Error(`evalbench ${args.join(" ")} failed: ${out.stderr}`);
    const [user, sys] = out.stderr.trim().split("\n").at(-1)!.split(" ").map(Number);
    cpu.push((user + sys) * 1000);
    bytes = fs.statSync(path.join(workspace, "ls.out")).size;
  }
  return { ms_median: Math.round(median(times)), ms_each: times.map(Math.round), cpu_ms_median: Math.round(median(cpu)), stdout_mb: +(bytes / 1e6).toFixed(1) };
};
if (process.env.BENCH_CLI !== "0") {
  print({ what: "evalbench ls --json, whole process", ...cli("ls", "--json") });
  print({ what: "evalbench ls, whole process", ...cli("ls") });
}

if (process.env.BENCH_PAGE !== "0") {
  await withServedWorkspace(
    workspace,
    PORT,
    async (browser, serverCpuMs) => {
      const url = `http://127.0.0.1:${PORT}`;
      // the server answers once it has read the index at start-up; what did that cost it?
      print({ what: "app server started, the runs list read", server_cpu_ms: Math.round(serverCpuMs()) });
      for (const [what, query] of [["first page, newest first", ""], ["sorted by primary metric, filtered by model", "sort=-value&filter.model=bench-7"]] as const) {
        const times: number[] = [];
        const cpu: number[] = [];
        for (let i = 0; i < 5; i++) {
          const t = performance.now();
          const c = serverCpuMs();
          const response = await fetch(`${url}/api/runs?${query}&limit=100`);
          await response.json();
          times.push(performance.now() - t);
          cpu.push(serverCpuMs() - c);
        }
        print({ what: `runs page data request (/api/runs): ${what}`, first_ms: Math.round(times[0]), ms_median: Math.round(median(times)), server_cpu_ms_each: cpu.map(Math.round) });
        const firstRows: number[] = [];
        const answered: number[] = [];
        const pageCpu: number[] = [];
        for (let i = 0; i < 3; i++) {
          const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
          const page = await context.newPage();
          await page.addInitScript(domProbe("[data-testid=runs-table] tbody tr[data-run-id]"));
          const c = serverCpuMs();
          await page.goto(`${url}/?${query}`);
          await page.locator("[data-testid=runs-table] tbody tr[data-run-id]").first().waitFor();
          pageCpu.push(serverCpuMs() - c);
          firstRows.push((await probedMs(page)) ?? NaN);
          // when the server's first byte came: the rest is the browser's
          answered.push(await page.evaluate(() => (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).responseStart));
          await context.close();
        }
        print({ what: `runs page in Chromium, time to first row: ${what}`, ms_each: firstRows.map(Math.round), ms_median: Math.round(median(firstRows)), first_byte_ms_each: answered.map(Math.round), server_cpu_ms_each: pageCpu.map(Math.round) });
      }
    },
    { keepWorkspace: true },
  );
}
if (!kept) fs.rmSync(workspace, { recursive: true, force: true });
