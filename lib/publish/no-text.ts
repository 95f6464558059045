import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { RECORD_COLUMNS, type RecordColumn } from "@/lib/schema/columns";
import type { QuestionRecord } from "@/lib/schema";
import { recordsParquetBytes } from "@/lib/workspace/parquet";

/**
 * What `publish --no-text` leaves out: the model's and the task's words. `scores` stays, since
 * the viewer compares other metrics from it.
 */
export const OMITTED_TEXT = ["prompt", "response", "extracted", "target", "transcript"] as const satisfies readonly RecordColumn[];

const omitted = new Set<string>(OMITTED_TEXT);
const KEPT = RECORD_COLUMNS.map((c) => c.name).filter((name) => !omitted.has(name));

/** A run's records.parquet with the same schema and rows, its OMITTED_TEXT columns all null. */
export async function recordsWithoutText(file: string, runId: string): Promise<Uint8Array<ArrayBuffer>> {
  const rows = await parquetReadObjects({ file: await asyncBufferFromFile(file), columns: KEPT });
  const blank = Object.fromEntries(OMITTED_TEXT.map((name) => [name, null]));
  return recordsParquetBytes(
    rows.map((row) => ({ ...row, ...blank }) as unknown as QuestionRecord),
    runId,
  );
}
