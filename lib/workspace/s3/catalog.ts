import { createHash } from "node:crypto";
import { cachedAsyncBuffer, type AsyncBuffer } from "hyparquet";
import { mapAtMost } from "@/lib/s3/at-most";
import { parseS3Url } from "@/lib/s3/location";
import { S3Objects, type ObjectInfo } from "@/lib/s3/objects";
import { parseManifest, RunId, type QuestionRecord, type RunManifest } from "@/lib/schema";
import type { CatalogEntry } from "../catalog";
import { JournalCorruptError, type JournalLine } from "../journal";
import { MANIFEST_FILE, RECORDS_FILE } from "../paths";
import { uniqueJournalRecords } from "../run-writer";
import { checkSegments, FileNotFoundError, type RemoteBody } from "../serve";
import { leaseMs, runObject, runObjects, runPrefix } from "./run-objects";

/** Objects read at once from the bucket. */
const READS_AT_ONCE = 16;

const objectsOf = (workspace: string) => new S3Objects(parseS3Url(workspace));

/** A run of a bucket as read for the catalog: its entry, and run.json's text when there was one. */
export interface ScannedS3Run {
  entry: CatalogEntry;
  text: string | null;
}

/**
 * One run's catalog entry from its objects (a listing of runs/): the checks a folder's runs get, on
 * the listing's sizes. `verify` also reads the records object to check its sha256 against run.json.
 */
export async function scanS3Run(objects: S3Objects, runId: string, listing: readonly ObjectInfo[], options: { verify?: boolean } = {}): Promise<ScannedS3Run> {
  const run = runObjects(runId, listing);
  const where = `${objects.url}/${runPrefix(runId)}`;
  if (!RunId.safeParse(runId).success) return { entry: { run_id: runId, ok: false, error: `${where} is not a run id evalbench writes` }, text: null };
  let text: string | null = null;
  const broken = (error: string, manifest?: RunManifest): ScannedS3Run => ({ entry: { run_id: runId, ok: false, error, manifest }, text });
  try {
    text = (await objects.read(runObject(runId, MANIFEST_FILE)))?.toString() ?? null;
    if (text === null) return broken(`${where} has no ${MANIFEST_FILE}`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      return broken(`${where}${MANIFEST_FILE} is not valid JSON: ${(error as Error).message}`);
    }
    const manifest = parseManifest(json, `${where}${MANIFEST_FILE}`);
    if (manifest.run_id !== runId) return broken(`run.json names run ${manifest.run_id} but sits in ${where}`);
    const problem =
      recordsProblem(manifest, run.files.get(RECORDS_FILE)) ??
      (options.verify ? await recordsChanged(objects, manifest) : null) ??
      (manifest.records || run.journal.length > 0 || manifest.counts.done === 0 ? null : `no journal batch was uploaded although run.json counts ${manifest.counts.done} records`);
    if (problem) return broken(problem, manifest);
    // a running run whose writer stopped renewing its lease was killed (or lost the bucket): interrupted
    const lapsed = run.lease !== null && Date.now() - run.lease.object.modified.getTime() >= leaseMs();
    return { entry: { run_id: runId, ok: true, status: manifest.status === "running" && lapsed ? "interrupted" : manifest.status, manifest }, text };
  } catch (error) {
    return broken((error as Error).message);
  }
}

/** A finished run's records object read whole and hashed: changed when its sha256 is not run.json's. */
async function recordsChanged(objects: S3Objects, manifest: RunManifest): Promise<string | null> {
  if (!manifest.records) return null;
  const bytes = await objects.read(runObject(manifest.run_id, RECORDS_FILE));
  const sha256 = bytes && createHash("sha256").update(bytes).digest("hex");
  if (sha256 === null || sha256 === manifest.records.sha256) return null;
  return `${RECORDS_FILE} has changed since the run was written (its sha256 is ${sha256.slice(0, 12)}..., run.json recorded ${manifest.records.sha256.slice(0, 12)}...): re-import or re-run this run`;
}

/**
 * A finished run's records object: there, and the size run.json recorded. Objects are written
 * whole, never torn, so the size is the check a listing can afford (a folder's runs also get
 * their footer read; a comparison verifies their sha256).
 */
function recordsProblem(manifest: RunManifest, records: ObjectInfo | undefined): string | null {
  if (!manifest.records) return manifest.status === "complete" ? "run.json says complete but names no records file" : null;
  if (!records) return `${RECORDS_FILE} is missing; re-import or re-run this run`;
  if (records.size !== manifest.records.bytes) return `${RECORDS_FILE} is ${records.size} bytes but run.json recorded ${manifest.records.bytes}: the object was replaced`;
  return null;
}

/** One run of a bucket workspace; a run that is not there is an entry saying so. */
export async function readS3Run(workspace: string, runId: string): Promise<CatalogEntry> {
  const objects = objectsOf(workspace);
  if (!RunId.safeParse(runId).success) return { run_id: runId, ok: false, error: `${runId} is not a run id` };
  return (await scanS3Run(objects, runId, await objects.list(runPrefix(runId)))).entry;
}

/** Whether the bucket holds any object of the run. */
export async function s3RunExists(workspace: string, runId: string): Promise<boolean> {
  return RunId.safeParse(runId).success && (await objectsOf(workspace).list(runPrefix(runId))).length > 0;
}

/** An object of the workspace named by plain path segments (nothing outside its prefix), to serve by Range. */
export async function s3FileBody(workspace: string, segments: readonly string[]): Promise<RemoteBody> {
  checkSegments(segments);
  const objects = objectsOf(workspace);
  const key = segments.join("/");
  const found = (await objects.list(key)).find((o) => o.key === key);
  if (!found) throw new FileNotFoundError(`${key} does not exist in the workspace`);
  return { name: key, size: found.size, open: (start, end) => objects.readStream(key, start, end + 1) };
}

/** A run's object by Range, as hyparquet reads it: only the byte ranges a reader asks for are fetched. */
export async function s3FileBuffer(workspace: string, runId: string, file: string): Promise<AsyncBuffer> {
  const objects = objectsOf(workspace);
  const key = runObject(runId, file);
  const found = (await objects.list(key)).find((o) => o.key === key);
  if (!found) throw new FileNotFoundError(`${objects.url}/${key} does not exist`);
  const slice = async (start: number, end?: number) => {
    const bytes = await objects.readRange(key, start, end ?? found.size);
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  };
  return cachedAsyncBuffer({ byteLength: found.size, slice });
}

function* journalLines(batches: readonly string[], name: string): Generator<JournalLine> {
  let line = 0;
  for (const batch of batches) {
    for (const text of batch.split("\n")) {
      line += 1;
      if (text.length === 0) continue;
      try {
        yield { line, record: JSON.parse(text) };
      } catch (error) {
        throw new JournalCorruptError(name, line, (error as Error).message);
      }
    }
  }
}

/** The records an open run has uploaded so far, batch by batch, the first of each question kept. */
export async function s3JournalRecords(workspace: string, runId: string): Promise<QuestionRecord[]> {
  const objects = objectsOf(workspace);
  const { journal } = runObjects(runId, await objects.list(runPrefix(runId)));
  const batches = await mapAtMost(journal, READS_AT_ONCE, async (o) => (await objects.read(o.key))?.toString() ?? "");
  return [...uniqueJournalRecords(journalLines(batches, `${objects.url}/${runPrefix(runId)}journal`), `${objects.url}/${runPrefix(runId)}journal`)];
}
