import fs from "node:fs";
import { ByteWriter, fileWriter, ParquetWriter, schemaFromColumnData, type Writer } from "hyparquet-writer";
import { RECORD_COLUMNS, SCHEMA_VERSION, TEXT_COLUMNS, type QuestionRecord } from "@/lib/schema";

/** Rows per Parquet row group: small enough that the browser reads the first screen quickly. */
export const ROW_GROUP_SIZE = 1000;

const LONG_TEXT = new Set<string>(TEXT_COLUMNS);

function columnData(records: readonly QuestionRecord[]) {
  return RECORD_COLUMNS.map(({ name, type }) => ({
    name,
    type,
    // JSON columns take the values themselves: the writer serializes them
    data: records.map((record) => record[name]),
    // Free text: min/max statistics are useless and a dictionary never pays off, both cost time.
    ...(LONG_TEXT.has(name) ? { statistics: false, encoding: "PLAIN" as const } : {}),
  }));
}

/**
 * Encodes records into Parquet as they arrive, one row group per ROW_GROUP_SIZE records, so memory
 * holds one row group at a time and finishing costs only the last group and the footer.
 */
export class RecordsParquetWriter {
  private readonly writer: ParquetWriter;
  private pending: QuestionRecord[] = [];
  rows = 0;

  constructor(target: Writer, runId: string) {
    this.writer = new ParquetWriter({
      writer: target,
      schema: schemaFromColumnData({ columnData: columnData([]) }),
      kvMetadata: [
        { key: "evalbench.schema_version", value: String(SCHEMA_VERSION) },
        { key: "evalbench.run_id", value: runId },
      ],
      createdBy: "evalbench",
    });
  }

  add(record: QuestionRecord): void {
    this.pending.push(record);
    if (this.pending.length === ROW_GROUP_SIZE) this.writeGroup();
  }

  private writeGroup(): void {
    if (this.pending.length === 0) return;
    this.writer.write({ columnData: columnData(this.pending), rowGroupSize: this.pending.length });
    this.rows += this.pending.length;
    this.pending = [];
  }

  /** Writes the last row group and the footer. */
  finish(): void {
    this.writeGroup();
    this.writer.finish();
  }
}

/**
 * records.parquet written through a temp file that is renamed into place on commit(): a reader
 * sees no file or the whole file, never one without its footer.
 */
export class RecordsParquetFile extends RecordsParquetWriter {
  private readonly temp: string;

  constructor(
    private readonly file: string,
    runId: string,
  ) {
    const temp = `${file}.partial`;
    super(fileWriter(temp), runId);
    this.temp = temp;
  }

  commit(): void {
    this.finish();
    fs.renameSync(this.temp, this.file);
  }

  /** Drops the unfinished file; the journal still holds every record. */
  discard(): void {
    fs.rmSync(this.temp, { force: true });
  }
}

/** The records as Parquet bytes in memory: a snapshot of a run that is still open. */
export function recordsParquetBytes(records: Iterable<QuestionRecord>, runId: string): Uint8Array<ArrayBuffer> {
  const target = new ByteWriter();
  const writer = new RecordsParquetWriter(target, runId);
  for (const record of records) writer.add(record);
  writer.finish();
  return new Uint8Array(target.getBuffer());
}
