// Shared by the page benchmarks: `next start` on loopback over a workspace, and headless Chromium.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "@playwright/test";

const root = path.join(import.meta.dirname, "..");

/** Starts `next start` (building first if .next is missing) and waits until it answers. */
async function startServer(workspace: string, port: number): Promise<ChildProcess> {
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
    const build = spawnSync("npm", ["run", "build"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
    if (build.status !== 0) throw new Error("npm run build failed");
  }
  const server = spawn(path.join(root, "node_modules", ".bin", "next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env: { ...process.env, EVALBENCH_WORKSPACE: workspace, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: "ignore",
    detached: true, // its own process group, so stopping it stops next's workers too
  });
  for (let attempt = 0; attempt < 120; attempt++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/runs`)).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`next start did not answer on port ${port}`);
}

function stopServer(server: ChildProcess): void {
  if (server.pid) process.kill(-server.pid, "SIGTERM");
}

/**
 * CPU time (user + system, ms) the server has used so far: every process in its group, from
 * /proc (Linux), so a figure can say what a request cost the server apart from the load around it.
 */
function serverCpuMs(server: ChildProcess): number {
  const tick = 1000 / 100; // USER_HZ is 100 on Linux
  let ticks = 0;
  for (const pid of fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      // the fields after the command's closing parenthesis: state ppid pgrp ... utime (14th) stime (15th)
      const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ").at(-1)!.split(" ");
      if (Number(fields[2]) === server.pid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks * tick;
}

/** Serves `workspace` on `port`, runs `body` with a headless Chromium (and the server's CPU time so far), then stops both and deletes the workspace (unless kept). */
export async function withServedWorkspace(workspace: string, port: number, body: (browser: Browser, cpuMs: () => number) => Promise<void>, { keepWorkspace = false } = {}): Promise<void> {
  const server = await startServer(workspace, port);
  try {
    const browser = await launchChromium();
    try {
      await body(browser, () => serverCpuMs(server));
    } finally {
      await browser.close();
    }
  } finally {
    stopServer(server);
    if (!keepWorkspace) fs.rmSync(workspace, { recursive: true, force: true });
  }
}

function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/**
 * A script for `addInitScript` that records, in the page, when the first element matching
 * `selector` enters the DOM (ms since navigation start); read it back with `probedMs`.
 */
export function domProbe(selector: string): string {
  return `
  const observer = new MutationObserver(() => {
    if (document.querySelector(${JSON.stringify(selector)})) {
      window.__probeMs = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true });
`;
}

export function probedMs(page: Page): Promise<number | null> {
  return page.evaluate(() => (window as unknown as { __probeMs?: number }).__probeMs ?? null);
}

/** Times, in the page from navigation start, until the first element of each selector is in the DOM. */
function probes(selectors: Record<string, string>): string {
  return `
  window.__probes = {};
  const wanted = ${JSON.stringify(selectors)};
  const observer = new MutationObserver(() => {
    for (const [name, selector] of Object.entries(wanted)) {
      if (!(name in window.__probes) && document.querySelector(selector)) window.__probes[name] = Math.round(performance.now());
    }
    if (Object.keys(window.__probes).length === Object.keys(wanted).length) observer.disconnect();
  });
  observer.observe(document, { childList: true, subtree: true });
`;
}

/** A cold load of `url` in a fresh browser context: ms from navigation start until each selector's first element is in the DOM. */
export async function coldLoad(browser: Browser, url: string, selectors: Record<string, string>, last: string): Promise<Record<string, number | null>> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.addInitScript({ content: probes(selectors) });
  const page = await context.newPage();
  await page.goto(url, { waitUntil: "commit" });
  await page.locator(last).first().waitFor({ timeout: 300_000 });
  await page.waitForFunction((n) => Object.keys((window as unknown as { __probes: object }).__probes).length === n, Object.keys(selectors).length, { timeout: 300_000 });
  const figures = await page.evaluate(() => (window as unknown as { __probes: Record<string, number> }).__probes);
  await context.close();
  return figures;
}
