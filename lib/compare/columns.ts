import type { AcrossTasks } from "./pairing";
import type { AlignedRow, Pairing } from "./sql";

/** The record columns of one run that alignment uses, indexed by the record's row in its file. */
export interface RunColumns {
  task: readonly (string | number | null)[];
  subtask: readonly (string | number | null)[];
  instance_id: readonly (string | number | null)[];
  sample: readonly (string | number | null)[];
  instance_hash: readonly (string | number | null)[];
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
  /** Set when the runs were paired across their task names (b's task column then holds a's name). */
  acrossTasks: AcrossTasks | null;
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
  const a = columns.a;
  const b = columns.b;
  // plain field reads, no closures: this runs for every one of 100,000 rows
  return {
    task: text((ra >= 0 ? a.task[ra] : null) ?? (rb >= 0 ? b.task[rb] : null))!,
    subtask: text((ra >= 0 ? a.subtask[ra] : null) ?? (rb >= 0 ? b.subtask[rb] : null)),
    instance_id: text((ra >= 0 ? a.instance_id[ra] : null) ?? (rb >= 0 ? b.instance_id[rb] : null))!,
    sample: number((ra >= 0 ? a.sample[ra] : null) ?? (rb >= 0 ? b.sample[rb] : null))!,
    cluster_a: ra >= 0 ? text(a.cluster_id[ra]) : null,
    cluster_b: rb >= 0 ? text(b.cluster_id[rb]) : null,
    score_a: ra >= 0 ? number(a.score[ra]) : null,
    score_b: rb >= 0 ? number(b.score[rb]) : null,
    pairing: PAIRINGS[columns.pairing[position]],
  };
}

export function alignedRows(columns: AlignedColumns): AlignedRow[] {
  const rows = new Array<AlignedRow>(columns.pairing.length);
  for (let i = 0; i < rows.length; i++) rows[i] = alignedRow(columns, i);
  return rows;
}

/** A question's key in links and in the table: `task/instance_id/sample`. */
export const rowKey = (row: Pick<AlignedRow, "task" | "instance_id" | "sample">) => `${row.task}/${row.instance_id}/${row.sample}`;

/** Aligned records in a scope (a task, or a subtask of it), counted without building rows: the question table's "of N". */
export function countInScope(columns: AlignedColumns, scope: { task: string | null; subtask: string | null }): number {
  if (scope.task === null) return columns.pairing.length;
  let count = 0;
  for (let i = 0; i < columns.pairing.length; i++) {
    const ra = columns.rowA[i];
    const rb = columns.rowB[i];
    const task = text((ra >= 0 ? columns.a.task[ra] : null) ?? (rb >= 0 ? columns.b.task[rb] : null));
    if (task !== scope.task) continue;
    if (scope.subtask === null || text((ra >= 0 ? columns.a.subtask[ra] : null) ?? (rb >= 0 ? columns.b.subtask[rb] : null)) === scope.subtask) count++;
  }
  return count;
}
