import fs from "node:fs";
import { ByteWriter, fileWriter, ParquetWriter, schemaFromColumnData, type Writer } from "hyparquet-writer";
import { RECORD_COLUMNS, SCHEMA_VERSION, TEXT_COLUMNS, type QuestionRecord } from "@/lib/schema";

/** Rows per Parquet row group: small enough that the browser reads the first screen quickly. */
export const ROW_GROUP_SIZE = 1000;

const JSON_COLUMNS = new Set<string>(["scores", "transcript"]);
const LONG_TEXT = new Set<string>(TEXT_COLUMNS);

function columnData(records: readonly QuestionRecord[]) {
  return RECORD_COLUMNS.map(({ name, type }) => ({
    name,
    type,
    data: records.map((record) =>
      JSON_COLUMNS.has(name) ? (record[name] === null ? null : JSON.stringify(record[name])) : record[name],
    ),
    // min/max statistics over long free text are useless and cost write time
    statistics: !LONG_TEXT.has(name),
  }));
}

/** Streams records into a Parquet writer, one row group per ROW_GROUP_SIZE records. */
function writeRecords(target: Writer, records: Iterable<QuestionRecord>, runId: string): number {
  const writer = new ParquetWriter({
    writer: target,
    schema: schemaFromColumnData({ columnData: columnData([]) }),
    kvMetadata: [
      { key: "evalbench.schema_version", value: String(SCHEMA_VERSION) },
      { key: "evalbench.run_id", value: runId },
    ],
    createdBy: "evalbench",
  });
  let batch: QuestionRecord[] = [];
  let rows = 0;
  const writeBatch = () => {
    writer.write({ columnData: columnData(batch), rowGroupSize: batch.length });
    rows += batch.length;
    batch = [];
  };
  for (const record of records) {
    batch.push(record);
    if (batch.length === ROW_GROUP_SIZE) writeBatch();
  }
  if (batch.length > 0) writeBatch();
  writer.finish();
  return rows;
}

/**
 * Writes records.parquet holding one batch in memory at a time, through a temp file renamed into
 * place: a reader sees the old file or the whole new one, never a file without its footer.
 */
export function writeRecordsParquet(file: string, records: Iterable<QuestionRecord>, runId: string): { rows: number } {
  const temp = `${file}.${process.pid}.tmp`;
  const rows = writeRecords(fileWriter(temp), records, runId);
  fs.renameSync(temp, file);
  return { rows };
}

/** The same Parquet bytes in memory: a snapshot of a run that is still open. */
export function recordsParquetBytes(records: Iterable<QuestionRecord>, runId: string): Uint8Array<ArrayBuffer> {
  const target = new ByteWriter();
  writeRecords(target, records, runId);
  return new Uint8Array(target.getBuffer());
}
