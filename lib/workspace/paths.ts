import path from "node:path";

export const RUNS_DIR = "runs";
export const MANIFEST_FILE = "run.json";
export const JOURNAL_FILE = "records.ndjson";
export const RECORDS_FILE = "records.parquet";
/** The columns a comparison reads (COMPARE_COLUMNS), written beside records.parquet. */
export const COMPARE_FILE = "compare.parquet";

/** The workspace folder: an explicit one, else EVALBENCH_WORKSPACE, else ./workspace. */
export function resolveWorkspace(dir?: string): string {
  // the user's data, not project files: the bundler need not trace it
  return path.resolve(/*turbopackIgnore: true*/ dir ?? process.env.EVALBENCH_WORKSPACE ?? "workspace");
}

export function runsRoot(workspace: string): string {
  return path.join(workspace, RUNS_DIR);
}

export function runDir(workspace: string, runId: string): string {
  return path.join(runsRoot(workspace), runId);
}
