/**
 * Runs lib/stats inside a real headless-Chromium Web Worker (shared by lib/stats/worker.test.ts and
 * bench/stats.ts). Bundles lib/stats/index.ts with esbuild (browser ESM), serves it with a tiny RPC
 * worker from a throwaway loopback HTTP server on 127.0.0.1, and drives /usr/bin/chromium through
 * playwright-core. Node-only test tooling: never imported by lib/stats/index.ts.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM_PATH = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const statsEntry = resolve(dirname(fileURLToPath(import.meta.url)), "../index.ts");

/**
 * Worker source: receives {id, fn, args, setup?}; `fn` names an export of lib/stats, or "__timed",
 * whose args are [setupSource, callSource]: both are function bodies run with `stats` in scope
 * (setup is untimed; the call is timed with performance.now() inside the worker).
 */
const WORKER_SOURCE = `
import * as stats from "./stats.js";
self.onmessage = async (ev) => {
  const { id, fn, args } = ev.data;
  try {
    let result;
    if (fn === "__timed") {
      const setup = new Function("stats", args[0]);
      const input = setup(stats);
      const call = new Function("stats", "input", args[1]);
      const t0 = performance.now();
      const value = call(stats, input);
      const ms = performance.now() - t0;
      result = { ms, value };
    } else {
      result = stats[fn](...args);
    }
    self.postMessage({ id, ok: true, result });
  } catch (e) {
    self.postMessage({ id, ok: false, error: String(e && e.stack || e) });
  }
};
self.postMessage({ ready: true });
`;

const PAGE_SOURCE = `<!doctype html><meta charset="utf-8"><title>lib/stats worker</title>
<script type="module">
const worker = new Worker("./worker.js", { type: "module" });
let seq = 0;
const pending = new Map();
window.__ready = new Promise((resolve, reject) => {
  worker.onerror = (e) => reject(new Error("worker error: " + e.message));
  worker.onmessage = (ev) => {
    if (ev.data && ev.data.ready) { resolve(true); return; }
    const p = pending.get(ev.data.id);
    pending.delete(ev.data.id);
    if (ev.data.ok) p.resolve(ev.data.result); else p.reject(new Error(ev.data.error));
  };
});
window.__call = (fn, args) => new Promise((resolve, reject) => {
  const id = ++seq;
  pending.set(id, { resolve, reject });
  worker.postMessage({ id, fn, args });
});
</script>`;

/** Bundles lib/stats/index.ts for the browser (ESM, no Node built-ins allowed). */
export async function bundleStats(): Promise<string> {
  const out = await build({
    entryPoints: [statsEntry],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  return out.outputFiles[0].text;
}

/** Serves `files` (path -> body) on 127.0.0.1 with an ephemeral port. */
export async function serveFiles(files: Record<string, { body: string; type: string }>): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const f = files[path];
    if (!f) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": f.type, "cache-control": "no-store" }).end(f.body);
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

export interface WorkerSession {
  /** Calls an export of lib/stats inside the Web Worker; the result is structured-cloned back. */
  call<T = unknown>(fn: string, args: unknown[]): Promise<T>;
  /** Runs `setupBody` (untimed) then `callBody` (timed) inside the worker; both see `stats`, the call also `input`. */
  timed<T = unknown>(setupBody: string, callBody: string): Promise<{ ms: number; value: T }>;
  browserVersion: string;
  close(): Promise<void>;
}

/** Bundles, serves and opens lib/stats in a headless Chromium Web Worker. */
export async function openStatsWorker(): Promise<WorkerSession> {
  const bundle = await bundleStats();
  const server = await serveFiles({
    "/": { body: PAGE_SOURCE, type: "text/html" },
    "/worker.js": { body: WORKER_SOURCE, type: "text/javascript" },
    "/stats.js": { body: bundle, type: "text/javascript" },
  });
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const page: Page = await browser.newPage();
    await page.goto(server.url);
    await page.evaluate(() => (window as unknown as { __ready: Promise<boolean> }).__ready);
    const b = browser;
    const call = <T>(fn: string, args: unknown[]) =>
      page.evaluate(
        ([f, a]) => (window as unknown as { __call: (f: string, a: unknown[]) => Promise<unknown> }).__call(f as string, a as unknown[]),
        [fn, args] as const
      ) as Promise<T>;
    return {
      call,
      timed: <T>(setupBody: string, callBody: string) => call<{ ms: number; value: T }>("__timed", [setupBody, callBody]),
      browserVersion: b.version(),
      async close() {
        await b.close();
        await server.close();
      },
    };
  } catch (e) {
    if (browser) await browser.close();
    await server.close();
    throw e;
  }
}
