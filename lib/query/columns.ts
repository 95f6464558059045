import { parquetRead } from "hyparquet";
import { RECORD_COLUMNS, type RecordColumn } from "@/lib/schema/columns";
import { chunkRanges, prefetchedBuffer } from "./prefetch";
import { READ_LIMIT_BYTES, ReadBudget, checkDeclaredSize, columnChunks, pageCountCheckedBuffer, pageLimitedCompressors } from "./read-limit";
import { rowGroupIndex, RecordsReadError, type RecordsFile } from "./records-file";

/**
 * The columns a question list needs for every row: ids, scores, grouping, error and cost. The long
 * text columns (TEXT_COLUMNS) are read only for the rows shown, or when the user searches.
 */
export const INDEX_COLUMNS = [
  "task",
  "subtask",
  "instance_id",
  "instance_hash",
  "sample",
  "cluster_id",
  "score",
  "error",
  "input_tokens",
  "output_tokens",
  "latency_ms",
] as const satisfies readonly RecordColumn[];

/** The columns searched by the question list's text search. */
export const SEARCH_COLUMNS = ["prompt", "response", "extracted", "target"] as const satisfies readonly RecordColumn[];

export type CellValue = string | number | null;

/** Rows rowStart..rowStart+length of some columns, stored column by column. */
export interface ColumnBatch {
  rowStart: number;
  length: number;
  columns: Partial<Record<RecordColumn, CellValue[]>>;
}

const JSON_COLUMNS = new Set<string>(RECORD_COLUMNS.filter((c) => c.type === "JSON").map((c) => c.name));

/** Parquet hands JSON columns back parsed and may use BigInt or undefined; the UI wants plain text/numbers/null. */
function normalize(column: string, value: unknown): CellValue {
  if (value === undefined || value === null) return null;
  if (JSON_COLUMNS.has(column) && typeof value !== "string") return JSON.stringify(value);
  if (typeof value === "bigint") return Number(value);
  return value as CellValue;
}

const utf8 = new TextDecoder();

/**
 * Parquet text to a string, as hyparquet's own parser does but quicker for short ASCII values
 * (ids, hashes, subtasks): a TextDecoder call per value costs microseconds in a browser worker,
 * so 100,000 ids took half a second; a plain loop takes a tenth of that. Anything else still goes
 * to TextDecoder.
 */
export function stringFromBytes(bytes: Uint8Array): string {
  if (!bytes) return bytes;
  if (bytes.length <= 64) {
    let ascii = true;
    for (let i = 0; i < bytes.length && ascii; i++) ascii = bytes[i] < 0x80;
    if (ascii) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  }
  return utf8.decode(bytes);
}

/**
 * Reads `columns` for rows [rowStart, rowEnd) (default: all rows); only the row groups and column
 * chunks needed are fetched. A read that would unpack more than `limitBytes` is refused (read-limit.ts).
 */
export async function readColumns(
  records: RecordsFile,
  columns: readonly RecordColumn[],
  range: { rowStart: number; rowEnd: number } = { rowStart: 0, rowEnd: records.rows },
  limitBytes = READ_LIMIT_BYTES,
): Promise<ColumnBatch> {
  const length = Math.max(0, range.rowEnd - range.rowStart);
  const out: ColumnBatch["columns"] = {};
  const allocate = () => columns.forEach((column) => (out[column] = new Array<CellValue>(length).fill(null)));
  if (length === 0) {
    allocate();
    return { rowStart: range.rowStart, length, columns: out };
  }
  try {
    const [firstGroup, lastGroup] = [rowGroupIndex(records, range.rowStart), rowGroupIndex(records, range.rowEnd - 1)];
    // before a cell is allocated: the footer's row count is as untrusted as its sizes
    const chunkBytes = checkDeclaredSize(records.metadata, columns, firstGroup, lastGroup, length, limitBytes);
    allocate();
    const budget = new ReadBudget(limitBytes);
    let over = false;
    await parquetRead({
      file: pageCountCheckedBuffer(prefetchedBuffer(records.file, chunkRanges(records.metadata, columns, firstGroup, lastGroup)), columnChunks(records.metadata, columns, firstGroup, lastGroup)),
      metadata: records.metadata,
      columns: [...columns],
      rowStart: range.rowStart,
      rowEnd: range.rowEnd,
      parsers: { stringFromBytes },
      compressors: pageLimitedCompressors(chunkBytes),
      onChunk({ columnName, columnData, rowStart }) {
        const target = out[columnName as RecordColumn];
        if (!target || over) return;
        // a chunk may extend beyond the requested range: copy only the overlap
        const from = Math.max(rowStart, range.rowStart);
        const to = Math.min(rowStart + columnData.length, range.rowEnd);
        for (let row = from; row < to && !over; row++) {
          const value = normalize(columnName, columnData[row - rowStart]);
          over = !budget.add(columnName, value);
          target[row - range.rowStart] = value;
        }
      },
    });
    // hyparquet calls onChunk from its own promise callbacks, where a throw would go unreported
    if (over) budget.refuse();
  } catch (error) {
    throw new RecordsReadError(records.runId, error);
  }
  return { rowStart: range.rowStart, length, columns: out };
}

/** Two batches of the same columns, the second starting where the first ends, as one. */
export function concatBatches(first: ColumnBatch, second: ColumnBatch): ColumnBatch {
  if (second.length === 0) return first;
  const columns: ColumnBatch["columns"] = {};
  for (const name of Object.keys(first.columns) as RecordColumn[]) {
    columns[name] = first.columns[name]!.concat(second.columns[name] ?? []);
  }
  return { rowStart: first.rowStart, length: first.length + second.length, columns };
}
