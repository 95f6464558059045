// The DuckDB-WASM bundles the browser loads from evalbench's own origin: copied into public/ for
// the app (copy-duckdb-assets.mjs) and into every published viewer (lib/publish/stage.ts).
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

export const DUCKDB_ASSETS = ["duckdb-eh.wasm", "duckdb-mvp.wasm", "duckdb-browser-eh.worker.js", "duckdb-browser-mvp.worker.js"];

/** The package's dist folder and version. Its exports hide package.json, but export the dist files: found from one. */
export function duckdbDist() {
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve("@duckdb/duckdb-wasm/dist/duckdb-eh.wasm"));
  const { version } = JSON.parse(fs.readFileSync(path.join(dir, "..", "package.json"), "utf8"));
  return { dir, version };
}
