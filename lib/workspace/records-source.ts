import fs from "node:fs";
import path from "node:path";
import { readRun } from "./catalog";
import { recordsParquetBytes } from "./parquet";
import { JOURNAL_FILE, RECORDS_FILE, runDir } from "./paths";
import { uniqueRecords } from "./run-writer";
import { FileNotFoundError } from "./serve";

/** Snapshots of open runs' journals, most recently built last; only the newest few are kept. */
const snapshots = new Map<string, { key: string; bytes: Uint8Array<ArrayBuffer> }>();
const MAX_SNAPSHOTS = 8;

/**
 * The records of a run as Parquet: the finalized file, or for a run still open (or interrupted)
 * a snapshot of its journal, rebuilt only when the journal has grown.
 */
export function runRecords(workspace: string, runId: string): { file: string } | { bytes: Uint8Array<ArrayBuffer>; name: string } {
  const entry = readRun(workspace, runId);
  if (!entry.ok) throw new FileNotFoundError(`run ${runId} cannot be read: ${entry.error}`);
  const dir = runDir(workspace, runId);
  if (entry.manifest.records) return { file: path.join(dir, RECORDS_FILE) };
  const journal = path.join(dir, JOURNAL_FILE);
  const stat = fs.statSync(journal, { throwIfNoEntry: false });
  const key = `${stat?.size ?? 0}:${stat?.mtimeMs ?? 0}`;
  const cached = snapshots.get(journal);
  if (cached?.key === key) return { bytes: cached.bytes, name: RECORDS_FILE };
  const bytes = recordsParquetBytes(stat ? uniqueRecords(journal) : [], runId);
  snapshots.delete(journal);
  if (snapshots.size >= MAX_SNAPSHOTS) snapshots.delete(snapshots.keys().next().value!);
  snapshots.set(journal, { key, bytes });
  return { bytes, name: RECORDS_FILE };
}
