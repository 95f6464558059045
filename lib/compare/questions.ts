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
  /** Questions whose instance_hash differs between the runs: excluded, never paired. */
  mismatched: string[];
}

const mean = (values: number[]) => (values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length);

/**
 * Turns aligned rows into one score per question per run, the input of lib/stats: the mean of a
 * run's scored samples of the question (null when none is scored, so an errored question is
 * unscored, not wrong). Mismatched questions are left out of both runs.
 */
export function questionSets(rows: readonly AlignedRow[]): QuestionSets {
  const byQuestion = new Map<string, AlignedRow[]>();
  for (const row of rows) {
    const id = questionId(row);
    const list = byQuestion.get(id);
    if (list) list.push(row);
    else byQuestion.set(id, [row]);
  }
  const sets: QuestionSets = { a: [], b: [], onlyA: 0, onlyB: 0, mismatched: [] };
  for (const [id, samples] of byQuestion) {
    if (samples.some((r) => r.pairing === "mismatch")) {
      sets.mismatched.push(id);
      continue;
    }
    const inA = samples.filter((r) => r.pairing !== "only_b");
    const inB = samples.filter((r) => r.pairing !== "only_a");
    if (inB.length === 0) sets.onlyA += 1;
    if (inA.length === 0) sets.onlyB += 1;
    const scored = (values: (number | null)[]) => values.filter((v): v is number => v !== null && Number.isFinite(v));
    if (inA.length > 0) sets.a.push({ questionId: id, score: mean(scored(inA.map((r) => r.score_a))), clusterId: inA[0].cluster_a });
    if (inB.length > 0) sets.b.push({ questionId: id, score: mean(scored(inB.map((r) => r.score_b))), clusterId: inB[0].cluster_b });
  }
  return sets;
}
