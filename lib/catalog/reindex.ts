import fs from "node:fs";
import path from "node:path";
import { isS3Url } from "@/lib/s3/location";
import { readRun, type CatalogEntry } from "@/lib/workspace/catalog";
import { MANIFEST_FILE, RUNS_DIR, runDir, runsRoot } from "@/lib/workspace/paths";
import { replaceCompacted, withCatalogLock } from "./compact";
import { withSummary, type CatalogRow } from "./compacted";
import { brokenState, ENTRIES_DIR, newKey, parseEntryName, runState } from "./entries";
import { readCatalog, type CatalogSnapshot } from "./read";
import { catalogStore, type CatalogStore } from "./store";

/** run.json objects read at once from a bucket. */
const READS_AT_ONCE = 16;

export interface ReindexReport {
  runs: number;
  /** Runs that cannot be read, with the reason: indexed as broken. */
  broken: { run_id: string; error: string }[];
  /** Runs the index lacked or held in another state than their folder. */
  repaired: string[];
  /** Runs the index listed whose folder is gone. */
  dropped: string[];
}

function runFolders(workspace: string): string[] {
  try {
    return fs
      .readdirSync(runsRoot(workspace), { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith("."))
      .map((d) => d.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new Error(`cannot read the workspace ${workspace}: ${(error as NodeJS.ErrnoException).code ?? String(error)}; check the path and its permissions`);
  }
}

/** One run folder as the index should hold it, read now. */
function scanRun(workspace: string, runId: string, verify: boolean): CatalogRow {
  const key = newKey();
  let text: string | null = null;
  try {
    text = fs.readFileSync(path.join(runDir(workspace, runId), MANIFEST_FILE), "utf8");
  } catch {
    // readRun says why
  }
  return indexedRow(readRun(workspace, runId, { verify }), text, key);
}

function indexedRow(entry: CatalogEntry, text: string | null, key: string): CatalogRow {
  if (entry.ok && text !== null) return withSummary(runState(entry.manifest, text, key));
  return { ...brokenState(entry.run_id, entry.ok ? `cannot read ${MANIFEST_FILE}` : entry.error, key), summary: null };
}

/** Every run of a bucket as the index should hold it: one listing of runs/, then each run.json. */
async function scanBucket(workspace: string, verify: boolean): Promise<CatalogRow[]> {
  const { parseS3Url } = await import("@/lib/s3/location");
  const { S3Objects } = await import("@/lib/s3/objects");
  const { mapAtMost } = await import("@/lib/s3/at-most");
  const { scanS3Run } = await import("@/lib/workspace/s3/catalog");
  const objects = new S3Objects(parseS3Url(workspace));
  const listing = await objects.list(`${RUNS_DIR}/`);
  const runIds = [...new Set(listing.map((object) => object.key.split("/")[1]))];
  return mapAtMost(runIds, READS_AT_ONCE, async (runId) => {
    // the key before the read: a state a writer records meanwhile is newer, and wins
    const key = newKey();
    const { entry, text } = await scanS3Run(objects, runId, listing, { verify });
    return indexedRow(entry, text, key);
  });
}

/**
 * Rebuilds the index from the run folders or a bucket's run objects: every run read again
 * (`verify` also checks each records file's sha256 against run.json), written as a new compacted
 * file, and the entries that were there before removed. Entries written while it scans are newer and stay.
 */
/** The runs as the index should hold them, read now from the run folders or the bucket's run objects. */
function scanRuns(workspace: string, verify: boolean): Promise<CatalogRow[]> | CatalogRow[] {
  return isS3Url(workspace) ? scanBucket(workspace, verify) : runFolders(workspace).map((runId) => scanRun(workspace, runId, verify));
}

/** Another process holds the index's lock (compacting or rebuilding it). */
export class IndexBusyError extends Error {}

export async function reindex(workspace: string, options: { verify?: boolean } = {}): Promise<ReindexReport> {
  const store = await catalogStore(workspace);
  const report = await withCatalogLock(store, async (stillHeld) => {
    const folded = (await store.list(ENTRIES_DIR)).filter((name) => parseEntryName(name) !== null);
    const old = new Map<string, CatalogRow>();
    try {
      for (const row of (await readCatalog(store)).rows) old.set(row.run_id, row);
    } catch {
      // an index that cannot be read is what this rebuilds: every run then counts as repaired
    }
    const rows = await scanRuns(workspace, options.verify ?? false);
    const scanned = new Set(rows.map((row) => row.run_id));
    if (!(await replaceCompacted(store, rows, folded, stillHeld))) throw new Error(`another process took over the index of ${workspace} while it was rebuilt; run evalbench reindex again`);
    return {
      runs: rows.length,
      broken: rows.flatMap((row) => (row.error === null ? [] : [{ run_id: row.run_id, error: row.error }])),
      repaired: rows.filter((row) => old.get(row.run_id)?.manifest_sha256 !== row.manifest_sha256 || old.get(row.run_id)?.error !== row.error).map((row) => row.run_id),
      dropped: [...old.keys()].filter((runId) => !scanned.has(runId)),
    };
  });
  if (report === null) throw new IndexBusyError(`another process is compacting or rebuilding the index of ${workspace} (index/compact.lock); wait a moment and run evalbench reindex again`);
  return report;
}

/**
 * The first listing of a workspace written before the index: indexed now; or, while another
 * process holds the index's lock (most likely indexing it too), its runs read without writing.
 */
export async function firstListing(workspace: string, store: CatalogStore, options: { manifests?: boolean }): Promise<CatalogSnapshot> {
  try {
    await reindex(workspace);
  } catch (error) {
    if (!(error instanceof IndexBusyError)) throw error;
    return { rows: await scanRuns(workspace, false), entries: [], exists: false };
  }
  return readCatalog(store, options);
}
