import { ByteWriter } from "hyparquet-writer";
import { COMPARE_COLUMNS, RECORD_COLUMNS, SCHEMA_VERSION, TEXT_COLUMNS, type QuestionRecord } from "@/lib/schema";
import { RowGroupEncoder, type EncoderOptions } from "./parquet-encoder.mjs";

/** Rows per Parquet row group: small enough that the browser reads the first screen quickly. */
export const ROW_GROUP_SIZE = 1000;

const LONG_TEXT = new Set<string>(TEXT_COLUMNS);

/** The layout of records.parquet: schema v1's columns, row groups, the run named in the footer. */
export function recordsEncoding(runId: string): EncoderOptions {
  return {
    columns: RECORD_COLUMNS.map(({ name, type }) => ({
      name,
      // JSON columns take the values themselves: the writer serializes them
      type,
      // Free text: min/max statistics are useless and a dictionary never pays off, both cost time.
      ...(LONG_TEXT.has(name) ? { statistics: false, encoding: "PLAIN" as const } : {}),
    })),
    rowGroupSize: ROW_GROUP_SIZE,
    kvMetadata: [
      { key: "evalbench.schema_version", value: String(SCHEMA_VERSION) },
      { key: "evalbench.run_id", value: runId },
    ],
  };
}

/**
 * Rows per row group of compare.parquet: few groups, so the file decodes in few pages, yet encoded
 * as the run goes, so finalizing a run encodes at most this many.
 */
const COMPARE_ROW_GROUP_SIZE = 20_000;

const COMPARED = new Set<string>(COMPARE_COLUMNS);
/**
 * Few distinct values, each repeated: always a dictionary, which the reader decodes once per value.
 * The writer's own test (a 1,000-row sample) turns one down for, say, 1,000 clusters of 100 questions.
 */
const REPEATED = new Set<string>(["task", "subtask", "cluster_id", "sample", "score"]);

/** The layout of compare.parquet: the records' COMPARE_COLUMNS, same types and row order. */
export function compareEncoding(runId: string): EncoderOptions {
  const records = recordsEncoding(runId);
  const columns = records.columns
    .filter((column) => COMPARED.has(column.name))
    // no min/max statistics: nothing filters this file by value, and computing them costs the writer
    .map((column) => ({ ...column, statistics: false, ...(REPEATED.has(column.name) ? { encoding: "RLE_DICTIONARY" as const } : {}) }));
  return { ...records, columns, rowGroupSize: COMPARE_ROW_GROUP_SIZE };
}

/** The records as Parquet bytes in memory: a snapshot of a run that is still open. */
export function recordsParquetBytes(records: Iterable<QuestionRecord>, runId: string): Uint8Array<ArrayBuffer> {
  const target = new ByteWriter();
  const encoder = new RowGroupEncoder(target, recordsEncoding(runId));
  for (const record of records) encoder.add(record);
  encoder.finish();
  return new Uint8Array(target.getBuffer());
}
