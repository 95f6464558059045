import { Float64, Int32, makeVector, Table, Utf8, vectorFromArray, type DataType, type Vector } from "apache-arrow";
import { RECORD_COLUMNS, type RecordColumn } from "@/lib/schema";
import type { ColumnBatch } from "./columns";

const ARROW_TYPES: Record<string, () => DataType> = {
  STRING: () => new Utf8(),
  JSON: () => new Utf8(),
  INT32: () => new Int32(),
  DOUBLE: () => new Float64(),
};

function arrowType(column: RecordColumn): DataType {
  const spec = RECORD_COLUMNS.find((c) => c.name === column);
  if (!spec) throw new Error(`unknown record column ${column}`);
  return ARROW_TYPES[spec.type]();
}

/**
 * An Arrow table of a column batch plus `row`, the record's position in records.parquet: the key
 * that joins the index columns to text loaded later and to the rows shown on screen. Types are
 * given explicitly, so an all-null column still has its schema type.
 */
export function batchToArrow(batch: ColumnBatch): Table {
  const rowNumbers = Int32Array.from({ length: batch.length }, (_, i) => batch.rowStart + i);
  const vectors: Record<string, Vector> = { row: makeVector(rowNumbers) };
  for (const [column, values] of Object.entries(batch.columns)) {
    vectors[column] = vectorFromArray(values, arrowType(column as RecordColumn));
  }
  return new Table(vectors);
}
