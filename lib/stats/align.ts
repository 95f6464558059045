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
  /** Every question id of the input (scored or not) -> its cluster id, for cross-run checks. */
  clusterOf: Map<string, string | null>;
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
 */
export function cleanRun(run: RunScores, label = "run"): CleanRun {
  if (!Array.isArray(run)) throw new TypeError(`${label}: expected an array of {questionId, score, clusterId?}`);
  const clusterOf = new Map<string, string | null>();
  const scoredIdx: number[] = [];
  let nUnscored = 0;
  let anyCluster = false;
  for (let i = 0; i < run.length; i++) {
    const rec = run[i];
    const id = rec?.questionId;
    if (typeof id !== "string") {
      throw new StatsInputError("INVALID_ID", describe(id), `${label}: questionId must be a string, got ${describe(id)} at position ${i}`);
    }
    if (clusterOf.has(id)) throw new StatsInputError("DUPLICATE_ID", id, `${label}: duplicate questionId ${JSON.stringify(id)}`);
    const cid = rec.clusterId ?? null;
    if (cid !== null && typeof cid !== "string") {
      throw new StatsInputError("INVALID_ID", id, `${label}: clusterId of question ${JSON.stringify(id)} must be a string, got ${describe(cid)}`);
    }
    clusterOf.set(id, cid);
    const s = rec.score;
    if (s === null) {
      nUnscored++;
      continue;
    }
    if (typeof s !== "number") {
      throw new StatsInputError("NON_NUMERIC_SCORE", id, `${label}: score of question ${JSON.stringify(id)} is not a number: ${describe(s)}`);
    }
    if (!Number.isFinite(s)) {
      nUnscored++;
      continue;
    }
    if (cid !== null) anyCluster = true;
    scoredIdx.push(i);
  }
  scoredIdx.sort((x, y) => compareIds(run[x].questionId, run[y].questionId));
  const ids = scoredIdx.map((i) => run[i].questionId);
  const scores = scoredIdx.map((i) => run[i].score as number);
  const clusterIds = anyCluster ? scoredIdx.map((i) => run[i].clusterId ?? null) : null;
  return { ids, scores, clusterIds, nUnscored, clusterOf };
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
  const [small, large] = A.clusterOf.size <= B.clusterOf.size ? [A.clusterOf, B.clusterOf] : [B.clusterOf, A.clusterOf];
  for (const [id, c1] of small) {
    if (c1 === null) continue;
    const c2 = large.get(id);
    if (c2 !== undefined && c2 !== null && c2 !== c1) {
      throw new StatsInputError(
        "CLUSTER_MISMATCH",
        id,
        `question ${JSON.stringify(id)} has clusterId ${JSON.stringify(A.clusterOf.get(id))} in run A but ${JSON.stringify(B.clusterOf.get(id))} in run B`
      );
    }
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
