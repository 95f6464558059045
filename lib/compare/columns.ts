import type { AlignedRow, Pairing } from "./sql";

/** The record columns of one run that alignment uses, indexed by the record's row in its file. */
export interface RunColumns {
  task: readonly (string | number | null)[];
  subtask: readonly (string | number | null)[];
  instance_id: readonly (string | number | null)[];
  sample: readonly (string | number | null)[];
  cluster_id: readonly (string | number | null)[];
  /** The compared metric (the `score` column, or one metric taken from `scores`). */
  score: readonly (string | number | null)[];
}

export const PAIRINGS: readonly Pairing[] = ["shared", "mismatch", "only_a", "only_b"];

/**
 * The result of alignSql() as columns rather than 100,000 objects: which record of each run sits
 * at each aligned position (-1: absent) and how the two pair. Cheap to post to a Web Worker (the
 * typed arrays are transferable) and to read by position when rendering.
 */
export interface AlignedColumns {
  a: RunColumns;
  b: RunColumns;
  rowA: Int32Array;
  rowB: Int32Array;
  /** Index into PAIRINGS. */
  pairing: Uint8Array;
}

const text = (value: string | number | null | undefined) => (value === null || value === undefined ? null : String(value));
const number = (value: string | number | null | undefined) => (value === null || value === undefined ? null : Number(value));

/**
 * The aligned row at a position, with alignSql()'s semantics: keys and subtask coalesce A then B;
 * cluster and score come from each run's own record.
 */
export function alignedRow(columns: AlignedColumns, position: number): AlignedRow {
  const ra = columns.rowA[position];
  const rb = columns.rowB[position];
  const fromA = (column: keyof RunColumns) => (ra >= 0 ? columns.a[column][ra] : null);
  const fromB = (column: keyof RunColumns) => (rb >= 0 ? columns.b[column][rb] : null);
  return {
    task: text(fromA("task") ?? fromB("task"))!,
    subtask: text(fromA("subtask") ?? fromB("subtask")),
    instance_id: text(fromA("instance_id") ?? fromB("instance_id"))!,
    sample: number(fromA("sample") ?? fromB("sample"))!,
    cluster_a: text(fromA("cluster_id")),
    cluster_b: text(fromB("cluster_id")),
    score_a: number(fromA("score")),
    score_b: number(fromB("score")),
    pairing: PAIRINGS[columns.pairing[position]],
  };
}

export function alignedRows(columns: AlignedColumns): AlignedRow[] {
  return Array.from({ length: columns.pairing.length }, (_, i) => alignedRow(columns, i));
}

/** A question's key in links and in the table: `task/instance_id/sample`. */
export const rowKey = (row: Pick<AlignedRow, "task" | "instance_id" | "sample">) => `${row.task}/${row.instance_id}/${row.sample}`;
