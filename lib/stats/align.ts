/**
 * Input validation and alignment (spec 1.1, 3.1). Everything downstream works on canonical order:
 * ascending questionId by plain `<` (UTF-16 code units; never localeCompare).
 */
import type { RunScores } from "./types";
import { StatsInputError } from "./warnings";

/** A validated run: scored questions in canonical order. */
export interface CleanRun {
  ids: string[];
  scores: number[];
  /** Cluster id per scored question (null = none); null when no question carries one. */
  clusterIds: (string | null)[] | null;
  nUnscored: number;
  /** Every question id of the input (scored or not) in canonical order, for cross-run checks. */
  allIds: string[];
  /** Cluster id of each entry of allIds (null = none). */
  allClusters: (string | null)[];
}

/** Canonical comparison (spec 1.1): plain `<` on UTF-16 code units. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function describe(v: unknown): string {
  try {
    return typeof v === "string" ? JSON.stringify(v) : String(v);
  } catch {
    return typeof v;
  }
}

/**
 * Validates a run (spec 1.1): ids must be unique strings, scores numbers or null (NaN/±Infinity are
 * unscored), cluster ids strings when given. Throws StatsInputError naming the offending id.
 * Input already in canonical order skips the sort (O(n)); otherwise one comparison sort.
 */
export function cleanRun(run: RunScores, label = "run"): CleanRun {
  if (!Array.isArray(run)) throw new TypeError(`${label}: expected an array of {questionId, score, clusterId?}`);
  const n = run.length;
  let sorted = true;
  let prev: string | null = null;
  for (let i = 0; i < n; i++) {
    const rec = run[i];
    const id = rec?.questionId;
    if (typeof id !== "string") {
      throw new StatsInputError("INVALID_ID", describe(id), `${label}: questionId must be a string, got ${describe(id)} at position ${i}`);
    }
    const cid = rec.clusterId;
    if (cid !== undefined && cid !== null && typeof cid !== "string") {
      throw new StatsInputError("INVALID_ID", id, `${label}: clusterId of question ${JSON.stringify(id)} must be a string, got ${describe(cid)}`);
    }
    const s = rec.score;
    if (s !== null && typeof s !== "number") {
      throw new StatsInputError("NON_NUMERIC_SCORE", id, `${label}: score of question ${JSON.stringify(id)} is not a number: ${describe(s)}`);
    }
    if (prev !== null && !(prev < id)) sorted = false;
    prev = id;
  }
  let order: number[] | null = null;
  if (!sorted) {
    order = Array.from({ length: n }, (_, i) => i);
    order.sort((x, y) => compareIds(run[x].questionId, run[y].questionId));
  }
  const allIds: string[] = new Array(n);
  const allClusters: (string | null)[] = new Array(n);
  const ids: string[] = [];
  const scores: number[] = [];
  const clusters: (string | null)[] = [];
  let nUnscored = 0;
  let anyCluster = false;
  for (let k = 0; k < n; k++) {
    const rec = run[order === null ? k : order[k]];
    const id = rec.questionId;
    if (k > 0 && allIds[k - 1] === id) throw new StatsInputError("DUPLICATE_ID", id, `${label}: duplicate questionId ${JSON.stringify(id)}`);
    const cid = rec.clusterId ?? null;
    allIds[k] = id;
    allClusters[k] = cid;
    const s = rec.score;
    if (s === null || !Number.isFinite(s)) {
      nUnscored++;
      continue;
    }
    if (cid !== null) anyCluster = true;
    ids.push(id);
    scores.push(s);
    clusters.push(cid);
  }
  return { ids, scores, clusterIds: anyCluster ? clusters : null, nUnscored, allIds, allClusters };
}

/** Paired view on Q = questions scored in both runs, canonical order (spec 3.1). */
export interface Alignment {
  ids: string[];
  a: number[];
  b: number[];
  /** Cluster per question of Q (A's id, else B's); null when no question of Q has one. */
  clusterIds: (string | null)[] | null;
  nOnlyA: number;
  nOnlyB: number;
}

/**
 * Aligns two validated runs (spec 3.1): never imputes. Throws StatsInputError when both runs give a
 * cluster id for the same question and they disagree (spec 1.1).
 */
export function alignRuns(A: CleanRun, B: CleanRun): Alignment {
  // Cross-run cluster check over every question present in both runs (scored or not).
  for (let i = 0, j = 0; i < A.allIds.length && j < B.allIds.length; ) {
    const x = A.allIds[i];
    const y = B.allIds[j];
    if (x === y) {
      const c1 = A.allClusters[i];
      const c2 = B.allClusters[j];
      if (c1 !== null && c2 !== null && c1 !== c2) {
        throw new StatsInputError(
          "CLUSTER_MISMATCH",
          x,
          `question ${JSON.stringify(x)} has clusterId ${JSON.stringify(c1)} in run A but ${JSON.stringify(c2)} in run B`
        );
      }
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  const ids: string[] = [];
  const a: number[] = [];
  const b: number[] = [];
  const clusters: (string | null)[] = [];
  let anyCluster = false;
  // Both id lists are sorted: merge.
  let i = 0;
  let j = 0;
  while (i < A.ids.length && j < B.ids.length) {
    const x = A.ids[i];
    const y = B.ids[j];
    if (x === y) {
      ids.push(x);
      a.push(A.scores[i]);
      b.push(B.scores[j]);
      const c = A.clusterIds?.[i] ?? B.clusterIds?.[j] ?? null;
      if (c !== null) anyCluster = true;
      clusters.push(c);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return {
    ids,
    a,
    b,
    clusterIds: anyCluster ? clusters : null,
    nOnlyA: A.ids.length - ids.length,
    nOnlyB: B.ids.length - ids.length,
  };
}
