import type { ObjectInfo } from "@/lib/s3/objects";
import { JOURNAL_FILE, MANIFEST_FILE, RUNS_DIR } from "../paths";

// A run in a bucket: runs/<id>/run.json, records.parquet and compare.parquet as in a folder; the
// journal as one object per uploaded batch (S3 cannot append), journal/<writer>-<batch>.ndjson;
// and one lease object per writer that ever held the run, lease-<writer>.json, renewed while it writes.

export const runPrefix = (runId: string) => `${RUNS_DIR}/${runId}/`;
export const runObject = (runId: string, file: string) => `${runPrefix(runId)}${file}`;

const pad = (n: number) => String(n).padStart(6, "0");
export const journalObject = (runId: string, writer: number, batch: number) => runObject(runId, `${JOURNAL_FILE}.d/${pad(writer)}-${pad(batch)}.ndjson`);
export const leaseObject = (runId: string, writer: number) => runObject(runId, `lease-${pad(writer)}.json`);

export interface Lease {
  token: string;
  host: string;
  pid: number;
  /** Set when the writer ended (finished, failed, cancelled): the next may take over at once. */
  released: boolean;
}

/** How long a writer's lease holds without renewal: past it, a killed writer's run can be resumed elsewhere. */
export function leaseMs(): number {
  const seconds = Number(process.env.EVALBENCH_S3_LEASE_SECONDS || 60);
  if (!(seconds > 0)) throw new Error(`EVALBENCH_S3_LEASE_SECONDS=${process.env.EVALBENCH_S3_LEASE_SECONDS} is not a number of seconds above 0`);
  return seconds * 1000;
}

/** The files of one run among a listing of runs/: run.json, records.parquet... by name, the journal's batches in order, the newest lease. */
export function runObjects(runId: string, listing: readonly ObjectInfo[]) {
  const prefix = runPrefix(runId);
  const files = new Map<string, ObjectInfo>();
  const journal: ObjectInfo[] = [];
  let lease: { writer: number; object: ObjectInfo } | null = null;
  for (const object of listing) {
    if (!object.key.startsWith(prefix)) continue;
    const name = object.key.slice(prefix.length);
    const writer = /^lease-(\d+)\.json$/.exec(name)?.[1];
    if (writer !== undefined && (!lease || Number(writer) > lease.writer)) lease = { writer: Number(writer), object };
    else if (name.startsWith(`${JOURNAL_FILE}.d/`)) journal.push(object);
    else files.set(name, object);
  }
  journal.sort((a, b) => (a.key < b.key ? -1 : 1));
  return { files, journal, lease, hasManifest: files.has(MANIFEST_FILE) };
}
