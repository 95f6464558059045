import { compareCells } from "./align";
import type { RunColumns } from "./columns";
import type { ScoreRecord } from "@/lib/stats";
import { questionId, type QuestionSets } from "./questions";

/** One run's questions in key order: each with its mean scored sample, hash and first sample's cluster. */
export interface RunQuestions {
  task: string[];
  instanceId: string[];
  /** The first sample's subtask. */
  subtask: (string | null)[];
  /** Mean over scored samples; null when no sample is scored. */
  score: (number | null)[];
  hash: (string | null)[];
  cluster: (string | null)[];
  /** `task/instance_id` of each question. */
  ids: string[];
  /** Each question as lib/stats takes it: built once, shared by every pair this run is in. */
  records: ScoreRecord[];
}

const text = (v: string | number | null | undefined) => (v === null || v === undefined ? null : String(v));

/**
 * A run's records folded into questions once, so that many pairs of runs (a series, a matrix)
 * line up question by question with one merge each instead of aligning every record again.
 * Samples are summed in key order (task, instance_id, sample), as questionSets() sums them.
 */
export function runQuestions(run: RunColumns): RunQuestions {
  const byKey = (i: number, j: number) => compareCells(run.task[i], run.task[j]) || compareCells(run.instance_id[i], run.instance_id[j]) || compareCells(run.sample[i], run.sample[j]);
  const order = Array.from({ length: run.task.length }, (_, i) => i);
  // runs are usually written in key order already: check before sorting
  let sorted = true;
  for (let i = 1; i < order.length && sorted; i++) sorted = byKey(i - 1, i) <= 0;
  if (!sorted) order.sort((i, j) => byKey(i, j) || i - j);
  const out: RunQuestions = { task: [], instanceId: [], subtask: [], score: [], hash: [], cluster: [], ids: [], records: [] };
  let sum = 0;
  let scored = 0;
  const close = () => out.score.push(scored === 0 ? null : sum / scored);
  for (const i of order) {
    const task = String(run.task[i]);
    const id = String(run.instance_id[i]);
    const last = out.task.length - 1;
    if (last < 0 || out.task[last] !== task || out.instanceId[last] !== id) {
      if (last >= 0) close();
      out.task.push(task);
      out.instanceId.push(id);
      out.subtask.push(text(run.subtask[i]));
      out.hash.push(text(run.instance_hash[i]));
      out.cluster.push(text(run.cluster_id[i]));
      sum = 0;
      scored = 0;
    }
    const score = run.score[i];
    if (score !== null && score !== undefined && Number.isFinite(Number(score))) {
      sum += Number(score);
      scored += 1;
    }
  }
  if (out.task.length > 0) close();
  for (let q = 0; q < out.task.length; q++) {
    out.ids.push(questionId({ task: out.task[q], instance_id: out.instanceId[q] }));
    out.records.push({ questionId: out.ids[q], score: out.score[q], clusterId: out.cluster[q] });
  }
  return out;
}

/** The same questions with the same hashes, in the same order: nothing to merge. */
function sameQuestions(a: RunQuestions, b: RunQuestions): boolean {
  if (a.ids.length !== b.ids.length) return false;
  for (let q = 0; q < a.ids.length; q++) if (a.ids[q] !== b.ids[q] || a.hash[q] !== b.hash[q]) return false;
  return true;
}

/**
 * Two runs' questions lined up as questionSets() lines up their aligned records: a question
 * whose hash differs is mismatched and left out of both; one in a single run counts as only A or
 * only B.
 */
export function pairQuestions(a: RunQuestions, b: RunQuestions): QuestionSets {
  if (sameQuestions(a, b)) return { a: a.records, b: b.records, onlyA: 0, onlyB: 0, inBoth: a.ids.length, mismatched: [] };
  const sets: QuestionSets = { a: [], b: [], onlyA: 0, onlyB: 0, inBoth: 0, mismatched: [] };
  let i = 0;
  let j = 0;
  const record = (run: RunQuestions, k: number) => run.records[k];
  while (i < a.task.length || j < b.task.length) {
    const c = i === a.task.length ? 1 : j === b.task.length ? -1 : compareCells(a.task[i], b.task[j]) || compareCells(a.instanceId[i], b.instanceId[j]);
    if (c < 0) {
      sets.onlyA += 1;
      sets.a.push(record(a, i++));
    } else if (c > 0) {
      sets.onlyB += 1;
      sets.b.push(record(b, j++));
    } else {
      if (a.hash[i] !== b.hash[j]) sets.mismatched.push(a.ids[i]);
      else {
        sets.inBoth += 1;
        sets.a.push(record(a, i));
        sets.b.push(record(b, j));
      }
      i++;
      j++;
    }
  }
  return sets;
}
