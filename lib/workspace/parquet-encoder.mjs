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
    /** The rows of the row group being filled, column by column: only this file's fields are kept. */
    this.pending = this.emptyColumns();
    this.rows = 0;
    this.writer = new ParquetWriter({
      writer: target,
      schema: schemaFromColumnData({ columnData: this.columnData(this.emptyColumns()) }),
      kvMetadata,
      createdBy: "evalbench",
    });
  }

  /** @param {Record<string, unknown>} row */
  add(row) {
    for (let c = 0; c < this.columns.length; c++) this.pending[c].push(row[this.columns[c].name]);
    if (++this.rows === this.rowGroupSize) this.writeGroup();
  }

  /** Writes the last row group and the footer. */
  finish() {
    this.writeGroup();
    this.writer.finish();
  }

  /** @returns {unknown[][]} */
  emptyColumns() {
    return this.columns.map(() => []);
  }

  /** @param {unknown[][]} values one array per column */
  columnData(values) {
    return this.columns.map((column, c) => {
      const data = values[c];
      const plainText = column.type === "STRING" && column.encoding === "PLAIN" && column.statistics === false;
      return { ...column, data: plainText ? utf8Values(data) : data };
    });
  }

  writeGroup() {
    if (this.rows === 0) return;
    this.writer.write({ columnData: this.columnData(this.pending), rowGroupSize: this.rows });
    this.pending = this.emptyColumns();
    this.rows = 0;
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
