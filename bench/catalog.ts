// Catalog listing: 10,000 finished runs in one workspace, listed cold (fresh process) by listRuns.
// Prints one JSON line of figures.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { listRuns } from "@/lib/workspace/catalog";
import { MANIFEST_FILE, RECORDS_FILE, runDir } from "@/lib/workspace/paths";
import { RunWriter } from "@/lib/workspace/run-writer";
import { benchRun } from "./bench-run";

const RUNS = Number(process.env.BENCH_RUNS ?? 10_000);
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "evalbench-bench-catalog-"));

// One real run, then copies of its folder under new ids (writing 10,000 runs for real is slow and
// measures the writer, not the catalog).
const template = RunWriter.create(workspace, benchRun("run-0", 100, { checkpoint: "step-0", step: 0 }));
for (let i = 0; i < 100; i++) template.append({ task: "bench", instance_id: `q${i}`, instance_hash: `h${i}`, score: i % 2 });
const manifest = template.finalize();
const records = fs.readFileSync(path.join(runDir(workspace, "run-0"), RECORDS_FILE));
for (let i = 1; i < RUNS; i++) {
  const dir = runDir(workspace, `run-${i}`);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify({ ...manifest, run_id: `run-${i}`, model: { ...manifest.model, step: i } }, null, 2));
  fs.writeFileSync(path.join(dir, RECORDS_FILE), records);
}

const start = performance.now();
const entries = listRuns(workspace);
const ms = performance.now() - start;
const broken = entries.filter((e) => !e.ok).length;
console.log(JSON.stringify({ bench: "catalog", runs: entries.length, broken, list_ms: Math.round(ms) }));
fs.rmSync(workspace, { recursive: true, force: true });
