import { createHash, randomBytes } from "node:crypto";
import type { RunManifest } from "@/lib/schema";

/** Where the catalog keeps its files in the workspace (store keys). */
export const INDEX_DIR = "index";
export const ENTRIES_DIR = `${INDEX_DIR}/entries`;
export const COMPACTED_KEY = `${INDEX_DIR}/catalog.parquet`;
export const LOCK_KEY = `${INDEX_DIR}/compact.lock`;

/**
 * One run's state as the catalog shows it: a row of the compacted file, or one entry file. `key`
 * orders states (the writer's clock, then randomness): a run's state is its highest key.
 */
export interface IndexedRun {
  key: string;
  run_id: string;
  /** Size and sha256 of the run.json this state was read from: a run.json that differs changed since. */
  manifest_bytes: number | null;
  manifest_sha256: string | null;
  /** The run.json as compact JSON; null for a run that could not be read. */
  manifest: string | null;
  /** Why the run could not be read when it was indexed; null for a readable run. */
  error: string | null;
}

/** A sortable stamp of the writer's clock, milliseconds: 20261203T152000123Z. */
export function timeStamp(date = new Date()): string {
  return date.toISOString().replace(/[-:.]/g, "");
}

/**
 * A fresh key: the writer's time, then 8 random bytes, so two writers (on any machines) never
 * make the same file, and a run's later state sorts after its earlier one from the same clock.
 */
let lastMs = 0;

export function newKey(date = new Date()): string {
  // one process never reuses a millisecond: a run that starts and fails within one would otherwise
  // have its two states ordered by the random bytes
  lastMs = Math.max(date.getTime(), lastMs + 1);
  return `${timeStamp(new Date(lastMs))}-${randomBytes(8).toString("hex")}`;
}

/** An entry's file name: its key and run id, so listing the folder names every state without reading it. */
export function entryName(entry: Pick<IndexedRun, "key" | "run_id">): string {
  return `${entry.key}.${entry.run_id}.json`;
}

const ENTRY_NAME = /^(\d{8}T\d{9}Z-[0-9a-f]{16})\.([A-Za-z0-9][A-Za-z0-9._-]{0,159})\.json$/;

/** An entry file's key and run id, or null for a name that is no entry (a temp file). */
export function parseEntryName(name: string): { key: string; run_id: string } | null {
  const match = ENTRY_NAME.exec(name);
  return match ? { key: match[1], run_id: match[2] } : null;
}

/** The state of a run whose run.json was just written as `text`. */
export function runState(manifest: RunManifest, text: string, key = newKey()): IndexedRun {
  return {
    key,
    run_id: manifest.run_id,
    manifest_bytes: Buffer.byteLength(text),
    manifest_sha256: createHash("sha256").update(text).digest("hex"),
    manifest: JSON.stringify(manifest),
    error: null,
  };
}

/** The state of a run that could not be read, with the reason. */
export function brokenState(runId: string, error: string, key = newKey()): IndexedRun {
  return { key, run_id: runId, manifest_bytes: null, manifest_sha256: null, manifest: null, error };
}

export function entryText(entry: IndexedRun): string {
  return `${JSON.stringify(entry)}\n`;
}

/** An entry file's contents, checked against its name; throws naming the file when it is not one. */
export function parseEntry(name: string, bytes: Buffer): IndexedRun {
  const named = parseEntryName(name);
  let entry: IndexedRun;
  try {
    entry = JSON.parse(bytes.toString("utf8")) as IndexedRun;
  } catch (error) {
    throw new Error(`catalog entry ${ENTRIES_DIR}/${name} is not valid JSON (${(error as Error).message}); run evalbench reindex to rebuild the index`);
  }
  if (!named || entry.key !== named.key || entry.run_id !== named.run_id) {
    throw new Error(`catalog entry ${ENTRIES_DIR}/${name} does not match its name; run evalbench reindex to rebuild the index`);
  }
  return entry;
}
