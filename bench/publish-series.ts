// Publishing a training-run series: one line of BENCH_SERIES_CHECKPOINTS checkpoints (default 12)
// x BENCH_SERIES_QUESTIONS questions (default 12,000), published with `evalbench publish --series`
// to a folder (whole processes, medians of BENCH_REPS, default 3). Prints what the series adds to
// the viewer, file by kind (the report, the parts the page asks for, the trajectories, the
// matrix), raw and gzipped as a static host would send them; then the published series page's
// cold load from a static server on another port against the app's own page (a fresh server
// each time). JSON lines with the load average; figures only, nothing passes or fails on time.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { PublishedIndex } from "@/lib/publish/published-index";
import { writeCheckpointRun } from "./bench-run";
import { coldLoad, withServedWorkspace } from "./page-server";

const CHECKPOINTS = Number(process.env.BENCH_SERIES_CHECKPOINTS ?? 12);
const QUESTIONS = Number(process.env.BENCH_SERIES_QUESTIONS ?? 12_000);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const APP_PORT = Number(process.env.BENCH_PORT ?? 3193);
const STATIC_PORT = APP_PORT + 1;
const LINE = "bench-base";
const VIEW = `line=${LINE}&task=task0`;
const root = path.join(import.meta.dirname, "..");

const loadAverage = () => +os.loadavg()[0].toFixed(2);
const median = (values: (number | null)[]) => {
  const known = values.filter((v): v is number => v !== null).sort((x, y) => x - y);
  return known.length === 0 ? null : known[Math.floor((known.length - 1) / 2)];
};

/** One `evalbench publish --series` process: seconds, and the link it printed last. */
function publishOnce(workspace: string, out: string): { s: number; link: string } {
  const started = performance.now();
  const result = spawnSync(process.execPath, [path.join(root, "bin", "evalbench.mjs"), "publish", "-w", workspace, "--series", VIEW, "--out", out], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`evalbench publish failed: ${result.stderr}`);
  return { s: +((performance.now() - started) / 1000).toFixed(2), link: result.stdout.trim().split("\n").at(-1)! };
}

/** Bytes of the files, raw and gzipped. */
function sizes(folder: string, files: string[]): { files: number; bytes: number; gzip_bytes: number } {
  let bytes = 0;
  let gzip = 0;
  for (const file of files) {
    const content = fs.readFileSync(path.join(folder, file));
    bytes += content.length;
    gzip += gzipSync(content).length;
  }
  return { files: files.length, bytes, gzip_bytes: gzip };
}

async function main(): Promise<void> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "evalbench-bench-publish-series-"));
  const sites = path.join(workspace, "sites");
  const common = { bench: "publish-series", checkpoints: CHECKPOINTS, questions: QUESTIONS };
  try {
    for (let c = 1; c <= CHECKPOINTS; c++) writeCheckpointRun(workspace, `${LINE}-step${c * 1000}`, { model: LINE, line: 0, task: "task0", step: c * 1000, lastStep: CHECKPOINTS * 1000, questions: QUESTIONS });

    const times: number[] = [];
    const loads: number[] = [];
    let link = "";
    for (let rep = 0; rep < REPS; rep++) {
      loads.push(loadAverage());
      const once = publishOnce(workspace, path.join(sites, String(rep)));
      times.push(once.s);
      link = once.link;
    }
    console.log(JSON.stringify({ ...common, step: "publish --series to a folder (the first may build the viewer bundle)", s: median(times), s_all: times, load_average_1m: loads }));

    const folder = path.join(sites, "0");
    const index = JSON.parse(fs.readFileSync(path.join(folder, "index.json"), "utf8")) as PublishedIndex;
    const answers = Object.entries(index.series[0].answers);
    const of = (test: (url: string) => boolean) => answers.filter(([url]) => test(url)).map(([, file]) => file);
    const total = spawnSync("du", ["-sb", folder], { encoding: "utf8" }).stdout.split("\t")[0];
    console.log(
      JSON.stringify({
        ...common,
        step: "what the series adds to the viewer",
        report: sizes(folder, of((url) => !url.includes("&part=") && url.startsWith("/api/series?"))),
        parts: sizes(folder, of((url) => url.includes("&part="))),
        trajectories: sizes(folder, of((url) => url.startsWith("/api/series/trajectories?"))),
        matrix: sizes(folder, index.matrices.map((m) => m.path)),
        runs: sizes(folder, index.runs.flatMap((r) => [r.records.path, ...(r.compare ? [r.compare.path] : [])])),
        folder_bytes: Number(total),
      }),
    );

    // the published page from a plain static server on another port, and the app's own page
    const selectors = { chart: "[data-testid=score-point]", flips: "[data-testid=flip-row]", trajectories: "[data-testid=trajectory-row]" };
    const server = spawn(process.execPath, [path.join(root, "e2e", "fixtures", "static-server.mjs"), sites, String(STATIC_PORT)], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise((resolve) => server.stdout!.once("data", resolve));
    try {
      const published: Record<string, number | null>[] = [];
      const app: Record<string, number | null>[] = [];
      const pageLoads: number[] = [];
      for (let rep = 0; rep < REPS; rep++) {
        await withServedWorkspace(
          workspace,
          APP_PORT,
          async (browser) => {
            await (await fetch(`http://127.0.0.1:${APP_PORT}/series`)).text(); // compiles the page's modules
            pageLoads.push(loadAverage());
            published.push(await coldLoad(browser, link.replace(sites, `http://127.0.0.1:${STATIC_PORT}`), selectors, selectors.trajectories));
            app.push(await coldLoad(browser, `http://127.0.0.1:${APP_PORT}/series?${VIEW}`, selectors, selectors.trajectories));
          },
          { keepWorkspace: true },
        );
      }
      const out: Record<string, unknown> = { ...common, step: "series page, cold", reps: REPS, load_average_1m: pageLoads };
      for (const key of Object.keys(selectors)) {
        out[`published_${key}_ms`] = median(published.map((s) => s[key] ?? null));
        out[`app_${key}_ms`] = median(app.map((s) => s[key] ?? null));
      }
      console.log(JSON.stringify(out));
    } finally {
      server.kill();
    }
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

await main();
