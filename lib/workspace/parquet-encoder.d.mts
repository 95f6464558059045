import type { ColumnSource, KeyValue, Writer } from "hyparquet-writer";

export interface EncoderOptions {
  /** Parquet columns in file order; each row's value for a column is `row[name]`. */
  columns: Omit<ColumnSource, "data">[];
  rowGroupSize: number;
  kvMetadata: KeyValue[];
}

export declare class RowGroupEncoder {
  constructor(target: Writer, options: EncoderOptions);
  add(row: Record<string, unknown>): void;
  finish(): void;
}
