import fs from "node:fs";
import { ENTRIES_DIR, parseEntryName } from "@/lib/catalog/entries";
import type { QuestionRecordInput, RunManifest } from "@/lib/schema";
import { runDir } from "../paths";
import { RunWriter, type NewRun, type WriterOptions } from "../run-writer";
import { s3RunExists } from "./catalog";
import { runPrefix } from "./run-objects";
import { S3RunSync } from "./run-sync";

/**
 * Writes a new run whole into a bucket workspace, as `run` leaves one: written in the local mirror
 * and uploaded by S3RunSync (each journal batch, the Parquet files, run.json, the lease released).
 * A run id the bucket holds is refused. If anything fails once the run is claimed, its objects are
 * removed: nothing half-written stays.
 */
export async function writeRunToBucket(workspace: string, run: NewRun, records: readonly Omit<QuestionRecordInput, "run_id">[], options: WriterOptions = {}): Promise<RunManifest> {
  const sync = new S3RunSync(workspace, run.run_id);
  if (await s3RunExists(workspace, run.run_id)) throw new Error(`run ${run.run_id} already exists in ${sync.shown}; it is left as it is`);
  await sync.pull();
  const writer = RunWriter.create(sync.local, run, { ...options, onJournal: sync.onJournal });
  try {
    await sync.claim();
  } catch (error) {
    // not this writer's run (another took the id) or nothing written: the bucket is left alone
    writer.end("failed", (error as Error).message);
    fs.rmSync(writer.dir, { recursive: true, force: true });
    throw error;
  }
  let finalized: RunManifest | null = null;
  try {
    for (const record of records) writer.append(record);
    finalized = writer.finalize();
    await sync.finish(finalized);
    return finalized;
  } catch (error) {
    const ended = finalized ?? writer.end("failed", (error as Error).message);
    // finish() stops the lease's renewal, which would otherwise write the lease again after the removal;
    // its own failure is the one already thrown, or moot as the run is removed next
    await sync.finish(ended).catch(() => undefined);
    await removeRun(sync, run.run_id).catch((removal: Error) => {
      (error as Error).message += `; and its objects could not be removed (${removal.message}): delete ${sync.shown} by hand`;
    });
    throw error;
  }
}

/**
 * Removes a run this process wrote from the bucket (every object under runs/<id>/, and its index
 * entries, so listings do not show it broken) and from the local mirror. An entry a compaction
 * folded meanwhile is in the compacted index: the run then lists as removed until `reindex`.
 */
export async function removeBucketRun(workspace: string, runId: string): Promise<void> {
  await removeRun(new S3RunSync(workspace, runId), runId);
}

async function removeRun(sync: S3RunSync, runId: string): Promise<void> {
  fs.rmSync(runDir(sync.local, runId), { recursive: true, force: true });
  for (const object of await sync.objects.list(runPrefix(runId))) await sync.objects.delete(object.key);
  for (const entry of await sync.objects.list(`${ENTRIES_DIR}/`)) {
    if (parseEntryName(entry.key.slice(ENTRIES_DIR.length + 1))?.run_id === runId) await sync.objects.delete(entry.key);
  }
}
