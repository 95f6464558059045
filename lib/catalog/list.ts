import type { RunStatus } from "@/lib/schema";
import { parseManifest } from "@/lib/schema";
import { isS3Url } from "@/lib/s3/location";
import { writerIsGone, type CatalogEntry } from "@/lib/workspace/catalog";
import { MANIFEST_FILE, RECORDS_FILE, RUNS_DIR } from "@/lib/workspace/paths";
import { compactCatalog } from "./compact";
import { COMPACTED_KEY } from "./entries";
import { scanRunSizes, type RunFileSize } from "./folder-sizes";
import type { S3Store } from "./s3-store";
import type { CatalogRow } from "./compacted";
import { processWide } from "./process-wide";
import { readCatalog } from "./read";
import { firstListing } from "./reindex";
import { catalogStore, type CatalogStore } from "./store";
import { newestFirst, summarize, type RunSummary } from "./summary";

/** Loose entries a listing tolerates before it compacts them. */
export const COMPACT_AFTER = 500;

/** A run as the catalog lists it. */
export interface ListedRun {
  run_id: string;
  /** The indexed state's key: the writer's time of the state change, first. */
  key: string;
  /** The indexed facts; null for a run that could not be read when indexed. */
  summary: RunSummary | null;
  /** The status to show: a running run whose writer on this host is gone is interrupted. */
  status: RunStatus | null;
  /** run.json as compact JSON, when the listing asked for manifests. */
  manifest: string | null;
  /** Why the run cannot be read, or null. */
  problem: string | null;
  /** The indexed run.json's size, to check the run against later. */
  manifest_bytes: number | null;
}

function shownStatus(summary: RunSummary): RunStatus {
  return summary.status === "running" && summary.writer_pid !== null && writerIsGone({ pid: summary.writer_pid, host: summary.writer_host ?? "" }) ? "interrupted" : summary.status;
}

/** A run file's size from the catalog's store. */
export const storeSize =
  (store: CatalogStore): RunFileSize =>
  (runId, file) =>
    store.size(`${RUNS_DIR}/${runId}/${file}`);

/**
 * Whether the run is still what the index says, by two sizes (run.json, records.parquet), not
 * by reading it: a run removed, a finished run's run.json rewritten, a records file cut short.
 */
export async function runProblem(size: RunFileSize, row: Pick<CatalogRow, "run_id" | "error" | "manifest_bytes" | "summary">): Promise<string | null> {
  if (row.error !== null || row.summary === null) return row.error ?? "the index holds no manifest for this run; run evalbench reindex";
  const manifestSize = await size(row.run_id, MANIFEST_FILE);
  if (manifestSize === null) return `the index lists this run but its folder has no ${MANIFEST_FILE}: it was removed or moved; evalbench reindex drops it from the index`;
  // a running run rewrites its run.json every second with its counts; only its state changes are indexed
  if (row.summary.status !== "running" && manifestSize !== row.manifest_bytes) {
    return `${MANIFEST_FILE} changed since it was indexed (${manifestSize} bytes, the index recorded ${row.manifest_bytes}); evalbench reindex reads it again`;
  }
  const recorded = row.summary.records_bytes;
  if (recorded === null) return null;
  const recordsSize = await size(row.run_id, RECORDS_FILE);
  if (recordsSize === null) return `${RECORDS_FILE} is missing; re-import or re-run this run`;
  if (recordsSize !== recorded) return `${RECORDS_FILE} is ${recordsSize} bytes but run.json recorded ${recorded}: the file is truncated or was replaced`;
  return null;
}

/**
 * The run as listed. A running run whose writer on this host is gone is interrupted, and so is a
 * bucket's whose writer stopped renewing its lease (`leaseLapsed`): the two cases in which
 * `--resume` takes it over.
 */
export function listedRun(row: CatalogRow, problem: string | null, leaseLapsed?: (runId: string) => boolean): ListedRun {
  const shown = row.summary && shownStatus(row.summary);
  const status = shown === "running" && leaseLapsed?.(row.run_id) ? "interrupted" : shown;
  return { run_id: row.run_id, key: row.key, summary: row.summary, status, manifest: row.manifest, problem, manifest_bytes: row.manifest_bytes };
}

/** From this size of the compacted file (about 5,000 runs) a worker checks the run folders: it takes 40 ms to start. */
export const SCAN_FROM_BYTES = 5_000_000;

/** How runs are checked against their files: sizes, and on a bucket whether a writer's lease lapsed. */
export interface RunChecks {
  size: RunFileSize;
  leaseLapsed?(runId: string): boolean;
}

/** Every run's files, looked at once: one listing of a bucket's runs/, or a worker's stats of the run folders (from scanFrom bytes of index). */
export async function checkAll(workspace: string, store: CatalogStore, scanFrom: number): Promise<RunChecks> {
  if (isS3Url(workspace)) {
    const { scanBucketRuns } = await import("./s3-runs");
    return scanBucketRuns(store as S3Store);
  }
  const compactedBytes = await store.size(COMPACTED_KEY);
  return { size: compactedBytes !== null && compactedBytes >= scanFrom ? await scanRunSizes(workspace, storeSize(store)) : storeSize(store) };
}

/**
 * Every run the catalog holds, newest first, from its index in the workspace folder or bucket. A
 * workspace written before the catalog existed is indexed on first listing (read without writing
 * while another process holds the index's lock); loose entries are
 * compacted once there are many. `check` (default) checks every run against its files; the runs
 * page checks only the rows it shows. `scanFrom` (for tests) moves SCAN_FROM_BYTES.
 */
export async function listCatalog(workspace: string, options: { manifests?: boolean; check?: boolean; scanFrom?: number } = {}): Promise<ListedRun[]> {
  const store = await catalogStore(workspace);
  const checking = options.check === false ? null : checkAll(workspace, store, options.scanFrom ?? SCAN_FROM_BYTES);
  // a failed check is reported where it is awaited, below
  checking?.catch(() => {});
  let snapshot = await readCatalog(store, options);
  if (!snapshot.exists && (await store.list(RUNS_DIR)).some((name) => !name.startsWith("."))) {
    snapshot = await firstListing(workspace, store, options);
  } else if (snapshot.entries.length >= COMPACT_AFTER) {
    await compactCatalog(store);
  }
  if (options.check === false) return uncheckedListing(store, snapshot.rows);
  const checks = (await checking)!;
  const listed: ListedRun[] = [];
  // the index is stored newest first: this sort finds it sorted but for the runs in loose entries
  for (const indexed of [...snapshot.rows].sort(newestFirst)) {
    const row = indexed.summary?.status === "running" ? await withProgress(store, indexed) : indexed;
    listed.push(listedRun(row, await runProblem(checks.size, row), checks.leaseLapsed));
  }
  return listed;
}

/**
 * A snapshot listed without checks, kept while the snapshot is the same (a server lists the same
 * one on every page, poll and live update): only the running runs are listed again each time,
 * with their progress and whether their writer is still there.
 */
const unchecked = processWide("unchecked-listings", () => new WeakMap<readonly CatalogRow[], { rows: CatalogRow[]; listed: ListedRun[]; running: number[] }>());

async function uncheckedListing(store: CatalogStore, snapshotRows: readonly CatalogRow[]): Promise<ListedRun[]> {
  // unchecked, a bucket's lease is not read: its running run is interrupted only if its writer on this host is gone
  let kept = unchecked.get(snapshotRows);
  if (!kept) {
    const rows = [...snapshotRows].sort(newestFirst);
    const running = rows.flatMap((row, i) => (row.summary?.status === "running" ? [i] : []));
    kept = { rows, listed: rows.map((row) => listedRun(row, row.error)), running };
    unchecked.set(snapshotRows, kept);
  }
  const listed = [...kept.listed];
  for (const i of kept.running) listed[i] = listedRun(await withProgress(store, kept.rows[i]), kept.rows[i].error);
  return listed;
}

/**
 * A running run's facts from its run.json, rewritten every second with its counts and writer
 * (only its changes of state are indexed); the indexed facts when it cannot be read.
 */
async function withProgress(store: CatalogStore, row: CatalogRow): Promise<CatalogRow> {
  const bytes = await store.read(`${RUNS_DIR}/${row.run_id}/${MANIFEST_FILE}`);
  if (bytes === null) return row;
  try {
    const manifest = parseManifest(JSON.parse(bytes.toString("utf8")), `${row.run_id}/${MANIFEST_FILE}`);
    return { ...row, summary: summarize(manifest), manifest: row.manifest === null ? null : JSON.stringify(manifest) };
  } catch {
    // a run.json that does not parse is reported when the run is read; the listing keeps the indexed state
    return row;
  }
}

/**
 * Every run with its whole manifest, newest first, broken runs with their reason: for the readers
 * that need more than the listed facts (series, matrix, suites, previous checkpoints).
 */
export async function listRuns(workspace: string): Promise<CatalogEntry[]> {
  return (await listCatalog(workspace, { manifests: true })).map((run): CatalogEntry => {
    const manifest = run.manifest === null ? undefined : parseManifest(JSON.parse(run.manifest), `the catalog's copy of ${run.run_id}/run.json`);
    if (run.problem !== null || !manifest || !run.status) return { run_id: run.run_id, ok: false, error: run.problem ?? "the index holds no manifest for this run; run evalbench reindex", manifest };
    return { run_id: run.run_id, ok: true, status: run.status, manifest };
  });
}
