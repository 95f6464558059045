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

/** One run's side of a question while its rows are gathered. */
interface Side {
  /** Rows of the question present in this run. */
  rows: number;
  /** Sum and count of its scored samples, summed in row order. */
  sum: number;
  scored: number;
  /** The cluster of its first row. */
  cluster: string | null;
}

const side = (): Side => ({ rows: 0, sum: 0, scored: 0, cluster: null });

function add(s: Side, score: number | null, cluster: string | null) {
  if (s.rows === 0) s.cluster = cluster;
  s.rows += 1;
  if (score !== null && Number.isFinite(score)) {
    s.sum += score;
    s.scored += 1;
  }
}

const record = (questionId: string, s: Side): ScoreRecord => ({ questionId, score: s.scored === 0 ? null : s.sum / s.scored, clusterId: s.cluster });

/**
 * Turns aligned rows into one score per question per run, the input of lib/stats: the mean of a
 * run's scored samples of the question (null when none is scored, so an errored question is
 * unscored, not wrong). Mismatched questions are left out of both runs. One pass with running
 * sums, no per-question arrays: it runs on 100,000 rows for every scope the page shows.
 */
export function questionSets(rows: readonly AlignedRow[]): QuestionSets {
  const byQuestion = new Map<string, { mismatch: boolean; a: Side; b: Side }>();
  for (const row of rows) {
    const id = questionId(row);
    let question = byQuestion.get(id);
    if (!question) {
      question = { mismatch: false, a: side(), b: side() };
      byQuestion.set(id, question);
    }
    if (row.pairing === "mismatch") question.mismatch = true;
    if (row.pairing !== "only_b") add(question.a, row.score_a, row.cluster_a);
    if (row.pairing !== "only_a") add(question.b, row.score_b, row.cluster_b);
  }
  const sets: QuestionSets = { a: [], b: [], onlyA: 0, onlyB: 0, inBoth: 0, mismatched: [] };
  for (const [id, { mismatch, a, b }] of byQuestion) {
    if (mismatch) {
      sets.mismatched.push(id);
      continue;
    }
    if (b.rows === 0) sets.onlyA += 1;
    if (a.rows === 0) sets.onlyB += 1;
    if (a.rows > 0 && b.rows > 0) sets.inBoth += 1;
    if (a.rows > 0) sets.a.push(record(id, a));
    if (b.rows > 0) sets.b.push(record(id, b));
  }
  return sets;
}
