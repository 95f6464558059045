// Plain JavaScript on purpose: the encoder thread (parquet-thread.mjs) loads this module, and a
// worker thread gets no TypeScript loader under tsx or vitest (the Next bundle would not need it).
import { ParquetWriter, schemaFromColumnData } from "hyparquet-writer";

/**
 * Encodes rows into Parquet as they arrive, one row group per `rowGroupSize` rows, so memory holds
 * one row group at a time and finishing costs only the last group and the footer.
 */
export class RowGroupEncoder {
  /**
   * @param {import("hyparquet-writer").Writer} target
   * @param {import("./parquet-encoder.mjs").EncoderOptions} options
   */
  constructor(target, { columns, rowGroupSize, kvMetadata }) {
    this.columns = columns;
    this.rowGroupSize = rowGroupSize;
    /** @type {Record<string, unknown>[]} */
    this.pending = [];
    this.writer = new ParquetWriter({
      writer: target,
      schema: schemaFromColumnData({ columnData: this.columnData([]) }),
      kvMetadata,
      createdBy: "evalbench",
    });
  }

  /** @param {Record<string, unknown>} row */
  add(row) {
    this.pending.push(row);
    if (this.pending.length === this.rowGroupSize) this.writeGroup();
  }

  /** Writes the last row group and the footer. */
  finish() {
    this.writeGroup();
    this.writer.finish();
  }

  /** @param {Record<string, unknown>[]} rows */
  columnData(rows) {
    return this.columns.map((column) => {
      const data = rows.map((row) => row[column.name]);
      const plainText = column.type === "STRING" && column.encoding === "PLAIN" && column.statistics === false;
      return { ...column, data: plainText ? utf8Values(data) : data };
    });
  }

  writeGroup() {
    if (this.pending.length === 0) return;
    this.writer.write({ columnData: this.columnData(this.pending), rowGroupSize: this.pending.length });
    this.pending = [];
  }
}

/**
 * A plain text column's strings as UTF-8, all written into one buffer. The writer would encode
 * each value into a buffer of its own, and for long text those allocations cost as much as the
 * rest of the encoding. Only for columns without statistics or dictionary: those compare strings.
 *
 * @param {unknown[]} values
 */
function utf8Values(values) {
  let capacity = 0;
  // At most 3 bytes per UTF-16 unit: cheaper than measuring each string exactly
  for (const value of values) if (typeof value === "string") capacity += value.length * 3;
  const buffer = Buffer.allocUnsafe(capacity);
  let offset = 0;
  return values.map((value) => {
    if (typeof value !== "string") return value;
    const start = offset;
    offset += buffer.write(value, offset);
    return buffer.subarray(start, offset);
  });
}
