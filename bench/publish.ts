// Publish: two 100,000-question runs (the compare bench's) published as a comparison with
// `evalbench publish --no-text` to a folder (whole processes, medians of BENCH_REPS, default 3),
// then with text; then the published compare page's headline, served by a static file server on
// another port, against the app's own compare page, each cold (fresh browser context). Prints JSON
// lines with the load average; figures only, nothing passes or fails on time. The first publish
// may build the viewer's bundle (cached in ~/.cache/evalbench/viewer): it is reported on its own.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "@playwright/test";
import { writeComparedRun } from "./bench-run";
import { domProbe, probedMs, withServedWorkspace } from "./page-server";

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const APP_PORT = Number(process.env.BENCH_PORT ?? 3193);
const STATIC_PORT = APP_PORT + 1;
const RUNS = { a: "bench-publish-a", b: "bench-publish-b" };
const root = path.join(import.meta.dirname, "..");

const loadAverage = () => +os.loadavg()[0].toFixed(2);
const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor((values.length - 1) / 2)];

/** One `evalbench publish` process: seconds, and the link it printed last. */
function publishOnce(workspace: string, out: string, extra: string[]): { s: number; link: string } {
  const started = performance.now();
  const result = spawnSync(process.execPath, [path.join(root, "bin", "evalbench.mjs"), "publish", "-w", workspace, "--compare", RUNS.a, RUNS.b, "--out", out, ...extra], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`evalbench publish failed: ${result.stderr}`);
  return { s: +((performance.now() - started) / 1000).toFixed(2), link: result.stdout.trim().split("\n").at(-1)! };
}

/** Cold loads of `url` in fresh contexts: ms until the verdict is on screen. */
async function coldHeadlines(browser: Browser, url: string): Promise<number[]> {
  const times: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.addInitScript({ content: domProbe("[data-testid=verdict]") });
    const page = await context.newPage();
    await page.goto(url, { waitUntil: "commit" });
    await page.locator("[data-testid=verdict]").waitFor({ timeout: 120_000 });
    times.push(Math.round((await probedMs(page))!));
    await context.close();
  }
  return times;
}

async function main(): Promise<void> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "evalbench-bench-publish-"));
  const sites = path.join(workspace, "sites");
  writeComparedRun(workspace, RUNS.a, RECORDS, true);
  writeComparedRun(workspace, RUNS.b, RECORDS, false);
  const common = { bench: "publish", records_per_run: RECORDS };

  const first = publishOnce(workspace, path.join(sites, "first"), ["--no-text"]);
  console.log(JSON.stringify({ ...common, step: "first publish (may build the viewer bundle)", no_text: true, s: first.s, load_average_1m: loadAverage() }));
  for (const text of [false, true]) {
    const runs: number[] = [];
    const loads: number[] = [];
    for (let rep = 0; rep < REPS; rep++) {
      loads.push(loadAverage());
      runs.push(publishOnce(workspace, path.join(sites, `${text ? "text" : "no-text"}-${rep}`), text ? [] : ["--no-text"]).s);
    }
    const bytes = spawnSync("du", ["-sb", path.join(sites, `${text ? "text" : "no-text"}-0`)], { encoding: "utf8" }).stdout.split("\t")[0];
    console.log(JSON.stringify({ ...common, step: "publish to a folder", no_text: !text, s: median(runs), s_all: runs, folder_bytes: Number(bytes), load_average_1m: loads }));
  }

  // the published page from a plain static server on another port, and the app's own page
  const server = spawn(process.execPath, [path.join(root, "e2e", "fixtures", "static-server.mjs"), sites, String(STATIC_PORT)], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise((resolve) => server.stdout!.once("data", resolve));
  try {
    await withServedWorkspace(
      workspace,
      APP_PORT,
      async (browser) => {
        const loads = [loadAverage()];
        const published = await coldHeadlines(browser, first.link.replace(sites, `http://127.0.0.1:${STATIC_PORT}`));
        const app = await coldHeadlines(browser, `http://127.0.0.1:${APP_PORT}/compare?a=${RUNS.a}&b=${RUNS.b}`);
        loads.push(loadAverage());
        console.log(
          JSON.stringify({ ...common, step: "cold headline", published_ms: median(published), published_ms_all: published, app_ms: median(app), app_ms_all: app, ratio: +(median(published) / median(app)).toFixed(2), load_average_1m: loads }),
        );
      },
      { keepWorkspace: false },
    );
  } finally {
    server.kill();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
