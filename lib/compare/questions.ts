import type { ScoreRecord } from "@/lib/stats";
import type { AlignedRow } from "./sql";

/** What the comparison is restricted to: one task, or one subtask of it. */
export interface Scope {
  task?: string | null;
  subtask?: string | null;
}

export const inScope = (row: AlignedRow, scope: Scope) =>
  (!scope.task || row.task === scope.task) && (!scope.subtask || row.subtask === scope.subtask);

/** The question a row belongs to: its samples are averaged into one score per run. */
export const questionId = (row: { task: string; instance_id: string }) => `${row.task}/${row.instance_id}`;

export interface QuestionSets {
  a: ScoreRecord[];
  b: ScoreRecord[];
  /** Questions present in one run only. */
  onlyA: number;
  onlyB: number;
  /** Questions in both runs (scored or not), mismatches excluded. */
  inBoth: number;
  /** Questions whose instance_hash differs between the runs: excluded, never paired. */
  mismatched: string[];
}

/**
 * Turns aligned rows into one score per question per run, the input of lib/stats: the mean of a
 * run's scored samples of the question (null when none is scored, so an errored question is
 * unscored, not wrong). Mismatched questions are left out of both runs.
 *
 * `rows` must be in key order (task, instance_id, sample), as alignSql and alignColumns return
 * them: a question's samples are then adjacent, so it is found without building a map of 100,000
 * string keys (this runs for every scope the page shows). Should a question ever come in two
 * places, it appears twice and lib/stats rejects the duplicate id: it is never merged wrongly.
 */
export function questionSets(rows: readonly AlignedRow[]): QuestionSets {
  const ids: string[] = [];
  const mismatch = new Uint8Array(rows.length);
  // per question and run (A at 2q, B at 2q + 1): rows present, scored samples, their sum, first row's cluster
  const present = new Int32Array(2 * rows.length);
  const scored = new Int32Array(2 * rows.length);
  const sums = new Float64Array(2 * rows.length);
  const clusters: (string | null)[] = new Array(2 * rows.length);
  const add = (slot: number, score: number | null, cluster: string | null) => {
    if (present[slot]++ === 0) clusters[slot] = cluster;
    if (score !== null && Number.isFinite(score)) {
      sums[slot] += score; // in row order, as a sum over the samples would be
      scored[slot] += 1;
    }
  };
  let q = -1;
  let previous: AlignedRow | null = null;
  for (const row of rows) {
    if (previous === null || row.task !== previous.task || row.instance_id !== previous.instance_id) {
      q = ids.length;
      ids.push(questionId(row));
    }
    previous = row;
    if (row.pairing === "mismatch") mismatch[q] = 1;
    if (row.pairing !== "only_b") add(2 * q, row.score_a, row.cluster_a);
    if (row.pairing !== "only_a") add(2 * q + 1, row.score_b, row.cluster_b);
  }
  const record = (id: string, slot: number): ScoreRecord => ({ questionId: id, score: scored[slot] === 0 ? null : sums[slot] / scored[slot], clusterId: clusters[slot] ?? null });
  const sets: QuestionSets = { a: [], b: [], onlyA: 0, onlyB: 0, inBoth: 0, mismatched: [] };
  for (let q = 0; q < ids.length; q++) {
    if (mismatch[q]) {
      sets.mismatched.push(ids[q]);
      continue;
    }
    const inA = present[2 * q] > 0;
    const inB = present[2 * q + 1] > 0;
    if (!inB) sets.onlyA += 1;
    if (!inA) sets.onlyB += 1;
    if (inA && inB) sets.inBoth += 1;
    if (inA) sets.a.push(record(ids[q], 2 * q));
    if (inB) sets.b.push(record(ids[q], 2 * q + 1));
  }
  return sets;
}
