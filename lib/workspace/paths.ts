import path from "node:path";
import { isS3Url, parseS3Url } from "@/lib/s3/location";

export const RUNS_DIR = "runs";
export const MANIFEST_FILE = "run.json";
export const JOURNAL_FILE = "records.ndjson";
export const RECORDS_FILE = "records.parquet";
/** The columns a comparison reads (COMPARE_COLUMNS), written beside records.parquet. */
export const COMPARE_FILE = "compare.parquet";

/**
 * The workspace: an explicit one, else EVALBENCH_WORKSPACE, else ./workspace. A folder, made
 * absolute, or a bucket's `s3://BUCKET/PREFIX` (checked, without a trailing slash).
 */
export function resolveWorkspace(dir?: string): string {
  const named = dir ?? process.env.EVALBENCH_WORKSPACE ?? "workspace";
  if (isS3Url(named)) {
    const { bucket, prefix } = parseS3Url(named);
    return `s3://${bucket}${prefix ? `/${prefix}` : ""}`;
  }
  // the user's data, not project files: the bundler need not trace it
  return path.resolve(/*turbopackIgnore: true*/ named);
}

/** A workspace that must be a folder: a verb that cannot work on a bucket yet says so, naming `what` it is. */
export function resolveFolderWorkspace(dir: string | undefined, what: string): string {
  const workspace = resolveWorkspace(dir);
  if (isS3Url(workspace)) throw new Error(`${what} works on a workspace folder, not on a bucket (${workspace}) yet: name a folder with --workspace`);
  return workspace;
}

export function runsRoot(workspace: string): string {
  return path.join(workspace, RUNS_DIR);
}

export function runDir(workspace: string, runId: string): string {
  return path.join(runsRoot(workspace), runId);
}
