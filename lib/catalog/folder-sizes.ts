import path from "node:path";
import { Worker } from "node:worker_threads";
import { MANIFEST_FILE, RECORDS_FILE, RUNS_DIR } from "@/lib/workspace/paths";

/** A run file's size in bytes, or null when it does not exist. */
export type RunFileSize = (runId: string, file: typeof MANIFEST_FILE | typeof RECORDS_FILE) => Promise<number | null>;

const FILES = [MANIFEST_FILE, RECORDS_FILE] as const;

/**
 * The worker's code, as text: it has no module of its own, so the compiled CLI, the app server and
 * the tests run it alike. It lists runs/ and stats each run's two files (NaN: not there).
 */
const SCAN = `
const { parentPort, workerData } = require("node:worker_threads");
const fs = require("node:fs");
const path = require("node:path");
const { runs, files } = workerData;
let names = [];
try {
  names = fs.readdirSync(runs).filter((name) => !name.startsWith("."));
} catch (error) {
  if (error.code !== "ENOENT") throw error;
}
const sizes = files.map(() => new Float64Array(names.length).fill(NaN));
names.forEach((name, i) => {
  // a name from readdir holds no separator: concatenated, not joined (joining normalizes, 200,000 times)
  const dir = runs + path.sep + name + path.sep;
  files.forEach((file, f) => {
    try {
      const stat = fs.statSync(dir + file, { throwIfNoEntry: false });
      if (stat) sizes[f][i] = stat.size;
    } catch (error) {
      if (error.code !== "ENOTDIR") throw error;
    }
  });
});
parentPort.postMessage({ names, sizes }, sizes.map((s) => s.buffer));
`;

/**
 * The sizes of every run's run.json and records.parquet, found by a worker thread: 200,000 stats
 * for 100,000 runs take most of a second, which the listing spends meanwhile reading its index on
 * the other core. A file the scan did not find is asked of `size` again: a run may have started since.
 */
export function scanRunSizes(workspace: string, size: RunFileSize): Promise<RunFileSize> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(SCAN, { eval: true, workerData: { runs: path.join(workspace, RUNS_DIR), files: FILES } });
    worker.once("message", ({ names, sizes }: { names: string[]; sizes: Float64Array[] }) => {
      const index = new Map(names.map((name, i) => [name, i]));
      resolve(async (runId, file) => {
        const i = index.get(runId);
        const found = i === undefined ? NaN : sizes[FILES.indexOf(file)][i];
        return Number.isNaN(found) ? size(runId, file) : found;
      });
    });
    worker.once("error", (error) => reject(new Error(`cannot check the run folders in ${workspace}: ${error.message}; check the workspace's permissions`)));
  });
}
