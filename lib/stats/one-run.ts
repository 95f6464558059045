/**
 * One run (spec 2): mean, SE, normal CI, clustered SE (CR1) with design effect, Wilson interval.
 */
import { cleanRun, type CleanRun } from "./align";
import { clusteredSe, clusterIndexFromCodes } from "./cluster";
import { moments } from "./moments";
import { zTwoSided } from "./normal";
import { resolveOptions, type Interval, type RunScores, type StatsOptions } from "./types";
import { Warnings, type WarningCode } from "./warnings";

export interface ClusteredRunSummary {
  /** G, reported beside n (spec 2.3). */
  nClusters: number;
  /** CR1 clustered SE (spec 2.3); null when G < 2. */
  se: number | null;
  /** Informational CR0 (spec 10.1). */
  seCr0: number | null;
  /** Informational Miller eq.4 (spec 10.1). */
  seMillerEq4: number | null;
  /** xbar -/+ z * SE_cl. */
  ci: Interval | null;
  /** DE = (SE_cl / SE)^2; null when SE is 0 or undefined. */
  designEffect: number | null;
  /** n / DE. */
  effectiveN: number | null;
}

export interface RunSummary {
  n: number;
  nUnscored: number;
  mean: number | null;
  sd: number | null;
  se: number | null;
  ci: Interval | null;
  /** Wilson interval, 0/1 scores only (spec 2.4). */
  wilson: Interval | null;
  isBinary: boolean;
  /** Present when any scored question carries a cluster id. */
  clustered: ClusteredRunSummary | null;
  warnings: WarningCode[];
}

/** Normal interval center -/+ z * se (spec 2.2). */
export function normalInterval(center: number, se: number, z: number): Interval {
  return [center - z * se, center + z * se];
}

/**
 * Wilson score interval (spec 2.4): `c = (p + z^2/(2n)) / (1 + z^2/n)`,
 * `h = z sqrt(p(1-p)/n + z^2/(4n^2)) / (1 + z^2/n)`, `[c - h, c + h]`.
 */
export function wilsonInterval(p: number, n: number, z: number): Interval {
  const z2 = z * z;
  const den = 1 + z2 / n;
  const c = (p + z2 / (2 * n)) / den;
  const h = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / den;
  return [c - h, c + h];
}

/** Summary of validated scores in canonical order (spec 2.1-2.4). */
export function summarizeClean(run: CleanRun, alpha: number): RunSummary {
  const w = new Warnings();
  const x = run.scores;
  const n = x.length;
  const z = zTwoSided(alpha);
  if (n === 0) w.add("EMPTY");
  else if (n < 2) w.add("N_LT_2");
  if (n > 0 && n < 30) w.add("SMALL_N");
  const { mean: xbar, sd, binary } = moments(x);
  const se = sd === null ? null : sd / Math.sqrt(n);
  if (se === 0) w.add("ZERO_VARIANCE");
  let clustered: ClusteredRunSummary | null = null;
  if (run.clusters !== null && xbar !== null) {
    const idx = clusterIndexFromCodes(run.clusters, run.dictionary);
    const cs = clusteredSe(x, xbar, sd, idx);
    if (idx.G < 2) w.add("ONE_CLUSTER");
    else if (idx.G < 20) w.add("FEW_CLUSTERS");
    const de = cs.cr1 !== null && se !== null && se > 0 ? (cs.cr1 / se) * (cs.cr1 / se) : null;
    clustered = {
      nClusters: idx.G,
      se: cs.cr1,
      seCr0: cs.cr0,
      seMillerEq4: cs.millerEq4,
      ci: cs.cr1 === null ? null : normalInterval(xbar, cs.cr1, z),
      designEffect: de,
      effectiveN: de === null || de === 0 ? null : n / de,
    };
  }
  return {
    n,
    nUnscored: run.nUnscored,
    mean: xbar,
    sd,
    se,
    ci: se === null || xbar === null ? null : normalInterval(xbar, se, z),
    wilson: binary && xbar !== null ? wilsonInterval(xbar, n, z) : null,
    isBinary: binary,
    clustered,
    warnings: w.list(),
  };
}

/** One-run summary (spec 2): validates input (spec 1.1), then mean, SE, CI, CR1, Wilson. */
export function summarizeRun(scores: RunScores, options: StatsOptions = {}): RunSummary {
  const o = resolveOptions(options);
  return summarizeClean(cleanRun(scores), o.alpha);
}
