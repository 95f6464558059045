// Copies the DuckDB-WASM bundles into public/duckdb/<version>/ so the browser loads them from
// the app's own origin (no CDN at run time). public/duckdb is gitignored; this runs before
// `next build` and `next dev`.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DUCKDB_ASSETS as ASSETS, duckdbDist } from "./duckdb-assets.mjs";

const { dir: distDir, version } = duckdbDist();
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const target = path.join(root, "public", "duckdb", version);

fs.mkdirSync(target, { recursive: true });
let copied = 0;
for (const name of ASSETS) {
  const from = path.join(distDir, name);
  const to = path.join(target, name);
  const source = fs.statSync(from);
  const existing = fs.statSync(to, { throwIfNoEntry: false });
  if (existing && existing.size === source.size && existing.mtimeMs >= source.mtimeMs) continue;
  fs.copyFileSync(from, to);
  copied += 1;
}
console.log(`duckdb-wasm ${version}: ${copied} of ${ASSETS.length} assets copied to ${path.relative(root, target)}`);
