/**
 * Unpaired comparison (spec 4): Delta_u = xbar_A - xbar_B over each run's own scored questions,
 * SE_u = sqrt(SE_A^2 + SE_B^2), CI, z, p_normal_u, MDE_u, and the clustered variant when both runs
 * have G >= 2 (then the headline).
 */
import { cleanPair } from "./align";
import { normalInterval, summarizeClean, type RunSummary } from "./one-run";
import { mdeFactor, zTwoSided } from "./normal";
import { zTest } from "./paired";
import { resolveOptions, type Interval, type RunScores, type StatsOptions } from "./types";
import { Warnings, type WarningCode } from "./warnings";

export interface UnpairedClustered {
  se: number;
  ci: Interval;
  z: number | null;
  pNormal: number | null;
  mde: number;
}

export interface UnpairedComparison {
  nA: number;
  nB: number;
  meanA: number | null;
  meanB: number | null;
  delta: number | null;
  se: number | null;
  ci: Interval | null;
  z: number | null;
  pNormal: number | null;
  mde: number | null;
  /** With clusters in both runs (G >= 2 each): SE_u,cl = sqrt(SE_cl,A^2 + SE_cl,B^2). */
  clustered: UnpairedClustered | null;
  warnings: WarningCode[];
}

/** Unpaired comparison from two run summaries (spec 4). */
export function unpairedFromSummaries(A: RunSummary, B: RunSummary, alpha: number, power: number): UnpairedComparison {
  const w = new Warnings();
  w.addAll(A.warnings.filter((c) => c !== "ZERO_VARIANCE"));
  w.addAll(B.warnings.filter((c) => c !== "ZERO_VARIANCE"));
  const z = zTwoSided(alpha);
  const M = mdeFactor(alpha, power);
  const delta = A.mean !== null && B.mean !== null ? A.mean - B.mean : null;
  const se = A.se !== null && B.se !== null ? Math.sqrt(A.se * A.se + B.se * B.se) : null;
  if (se === 0) w.add("ZERO_VARIANCE");
  const t = zTest(delta, se);
  let clustered: UnpairedClustered | null = null;
  const ca = A.clustered?.se ?? null;
  const cb = B.clustered?.se ?? null;
  if (ca !== null && cb !== null && delta !== null) {
    const sec = Math.sqrt(ca * ca + cb * cb);
    const tc = zTest(delta, sec);
    clustered = { se: sec, ci: normalInterval(delta, sec, z), z: tc.z, pNormal: tc.p, mde: M * sec };
  }
  return {
    nA: A.n,
    nB: B.n,
    meanA: A.mean,
    meanB: B.mean,
    delta,
    se,
    ci: se === null || delta === null ? null : normalInterval(delta, se, z),
    z: t.z,
    pNormal: t.p,
    mde: se === null ? null : M * se,
    clustered,
    warnings: w.list(),
  };
}

/** Unpaired comparison of two runs (spec 4); validates input (spec 1.1). */
export function compareUnpaired(a: RunScores, b: RunScores, options: StatsOptions = {}): UnpairedComparison {
  const o = resolveOptions(options);
  const [A, B] = cleanPair(a, b);
  return unpairedFromSummaries(summarizeClean(A, o.alpha), summarizeClean(B, o.alpha), o.alpha, o.power);
}
