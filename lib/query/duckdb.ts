import type { AsyncDuckDB } from "@duckdb/duckdb-wasm";
import { DUCKDB_MEMORY_MB } from "./read-limit";

let instance: Promise<AsyncDuckDB> | null = null;

/**
 * The page's one DuckDB-WASM instance, started on first use. The bundles come from the app's own
 * origin (public/duckdb/<version>, copied at build time), so nothing is fetched from a CDN; the
 * module itself is imported lazily to keep it out of the first paint's JavaScript.
 */
export function getDuckDB(): Promise<AsyncDuckDB> {
  instance ??= startDuckDB().catch((error: unknown) => {
    instance = null; // let a later call retry rather than caching the failure
    throw new Error(`the query engine (DuckDB-WASM) failed to start: ${(error as Error).message}`);
  });
  return instance;
}

async function startDuckDB(): Promise<AsyncDuckDB> {
  performance.mark("evalbench:duckdb-requested");
  const duckdb = await import("@duckdb/duckdb-wasm");
  // the app serves them at its root; a published viewer names its own folder on <html data-asset-root>
  const base = new URL(`duckdb/${duckdb.PACKAGE_VERSION}`, new URL(document.documentElement.dataset.assetRoot ?? "/", window.location.href)).href;
  const bundle = await duckdb.selectBundle({
    mvp: { mainModule: `${base}/duckdb-mvp.wasm`, mainWorker: `${base}/duckdb-browser-mvp.worker.js` },
    eh: { mainModule: `${base}/duckdb-eh.wasm`, mainWorker: `${base}/duckdb-browser-eh.worker.js` },
  });
  const worker = new Worker(bundle.mainWorker!);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
  // counts come back as numbers, not BigInt, which is all a UI needs
  await db.open({ query: { castBigIntToDouble: true } });
  const conn = await db.connect();
  await conn.query(duckdbSettings());
  await conn.close();
  performance.mark("evalbench:duckdb-started");
  return db;
}

/**
 * The page's DuckDB settings. Never reach for extensions.duckdb.org: the app must work offline and
 * on its own origin. Hold tables and queries to a memory limit, with nowhere to spill (the
 * browser's DuckDB has no temporary folder): past it a query fails with an out-of-memory error
 * instead of taking the tab's memory.
 */
export function duckdbSettings(memoryMb = DUCKDB_MEMORY_MB): string {
  return `SET autoinstall_known_extensions = false; SET autoload_known_extensions = false; SET memory_limit = '${memoryMb}MiB'`;
}
