import fs from "node:fs";
import path from "node:path";
import { isS3Url } from "@/lib/s3/location";
import type { QuestionRecord } from "@/lib/schema";
import { JOURNAL_FILE, runDir } from "@/lib/workspace/paths";
import { uniqueRecords } from "@/lib/workspace/run-writer";
import { s3JournalRecords } from "@/lib/workspace/s3/catalog";

/** A run's records from its journal (kept after finalizing), first record of each key. */
export function readRunRecords(workspace: string, runId: string): QuestionRecord[] {
  const journal = path.join(runDir(workspace, runId), JOURNAL_FILE);
  if (!fs.existsSync(journal)) throw new Error(`run ${runId} has no ${JOURNAL_FILE} (imported runs keep only Parquet); it cannot be re-scored`);
  return [...uniqueRecords(journal)];
}

/** The same from a folder or a bucket, whose run keeps its journal as the batches it uploaded. */
export async function workspaceRunRecords(workspace: string, runId: string): Promise<QuestionRecord[]> {
  return isS3Url(workspace) ? s3JournalRecords(workspace, runId) : readRunRecords(workspace, runId);
}
