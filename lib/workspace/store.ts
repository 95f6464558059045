import fs from "node:fs";
import path from "node:path";
import { asyncBufferFromFile, type AsyncBuffer } from "hyparquet";
import { CLUSTER_DIR, clusterRoot } from "@/lib/cluster/jobs";
import { isS3Url, parseS3Url } from "@/lib/s3/location";
import { S3Objects } from "@/lib/s3/objects";
import { readRun, type CatalogEntry } from "./catalog";
import { recordsParquetBytes } from "./parquet";
import { RECORDS_FILE, runDir, RUNS_DIR } from "./paths";
import { runRecords } from "./records-source";
import { readS3Run, s3FileBody, s3FileBuffer, s3JournalRecords, s3RunExists } from "./s3/catalog";
import { checkSegments, FileNotFoundError, resolveWorkspaceFile, resolveWorkspacePath, type RangeBody } from "./serve";

// A run of a workspace, a folder or a bucket (s3://BUCKET/PREFIX), for every reader: its entry,
// and its files as hyparquet's AsyncBuffer, read by byte range where they lie. Every run at once
// is the catalog's (lib/catalog/list).

/** One run; `verify` checks a folder's records file against its sha256 (a bucket's runs are checked by size). */
export async function workspaceRun(workspace: string, runId: string, options: { verify?: boolean } = {}): Promise<CatalogEntry> {
  return isS3Url(workspace) ? readS3Run(workspace, runId) : readRun(workspace, runId, options);
}

/** Whether the workspace has anything under the run's name (for messages: missing or broken). */
export async function runExists(workspace: string, runId: string): Promise<boolean> {
  return isS3Url(workspace) ? s3RunExists(workspace, runId) : fs.existsSync(runDir(workspace, runId));
}

/** Refuses a run id that could name anything but a run of the workspace (403), before any use. */
export function confineRun(workspace: string, runId: string): void {
  if (isS3Url(workspace)) checkSegments([RUNS_DIR, runId]);
  else resolveWorkspacePath(workspace, [RUNS_DIR, runId]);
}

/** A file of the workspace named by URL path segments, to serve with ranges: nothing outside the workspace. */
export async function workspaceFileBody(workspace: string, segments: readonly string[]): Promise<RangeBody> {
  if (!isS3Url(workspace)) return { file: resolveWorkspaceFile(workspace, segments) };
  // a bucket's cluster job logs are files Slurm writes, kept in its local mirror (lib/cluster/jobs.ts)
  if (segments[0] === CLUSTER_DIR && segments[1] === "logs") return { file: resolveWorkspaceFile(clusterRoot(workspace), segments) };
  return s3FileBody(workspace, segments);
}

/** A run's records as Parquet to serve with ranges: the finalized file, or a snapshot of an open run's journal. */
export async function runRecordsBody(workspace: string, runId: string): Promise<RangeBody> {
  if (!isS3Url(workspace)) return runRecords(workspace, runId);
  const entry = await readS3Run(workspace, runId);
  if (!entry.ok) throw new FileNotFoundError(`run ${runId} cannot be read: ${entry.error}`);
  if (entry.manifest.records) return s3FileBody(workspace, [RUNS_DIR, runId, entry.manifest.records.file]);
  return { bytes: recordsParquetBytes(await s3JournalRecords(workspace, runId), runId), name: RECORDS_FILE };
}

/** Copies a file of a run into a local file (a published viewer's copy). */
export async function copyRunFile(workspace: string, runId: string, file: string, target: string): Promise<void> {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  if (isS3Url(workspace)) await new S3Objects(parseS3Url(workspace)).download(`${RUNS_DIR}/${runId}/${file}`, target);
  else fs.copyFileSync(path.join(runDir(workspace, runId), file), target, fs.constants.COPYFILE_FICLONE);
}

/** Bytes in memory (an open run's snapshot) as hyparquet's AsyncBuffer. */
export function bufferOf(bytes: Uint8Array<ArrayBuffer>): AsyncBuffer {
  return { byteLength: bytes.byteLength, slice: (start, end) => bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + (end ?? bytes.byteLength)) };
}

/** A file of a run the catalog read (run.json named it), by byte range. */
export function runFileBuffer(workspace: string, runId: string, file: string): Promise<AsyncBuffer> {
  return isS3Url(workspace) ? s3FileBuffer(workspace, runId, file) : asyncBufferFromFile(path.join(runDir(workspace, runId), file));
}

/** A run's records as Parquet: the finalized file by byte range, or for an open run a snapshot of its journal. */
export async function runRecordsBuffer(workspace: string, runId: string): Promise<AsyncBuffer> {
  if (!isS3Url(workspace)) {
    const source = runRecords(workspace, runId);
    return "file" in source ? asyncBufferFromFile(source.file) : bufferOf(source.bytes);
  }
  const entry = await readS3Run(workspace, runId);
  if (!entry.ok) throw new FileNotFoundError(`run ${runId} cannot be read: ${entry.error}`);
  if (entry.manifest.records) return s3FileBuffer(workspace, runId, entry.manifest.records.file);
  return bufferOf(recordsParquetBytes(await s3JournalRecords(workspace, runId), runId));
}
