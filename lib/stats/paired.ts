/**
 * Paired comparison on Q (spec 3): Delta, paired SE, analytic CI, z / p_normal, correlation, MDE,
 * questions needed, clustered variants (3.6).
 */
import type { Alignment } from "./align";
import { clusteredSe } from "./cluster";
import { normalInterval } from "./one-run";
import { correlation, moments } from "./moments";
import { mdeFactor, normalCdf, twoSidedNormalP, zTwoSided } from "./normal";
import type { Interval } from "./types";
import { Warnings, type WarningCode } from "./warnings";

export interface NRequired {
  delta: number;
  /** M^2 * var / delta^2 before rounding up (spec 3.5). */
  raw: number;
  /** ceil(raw - 1e-9). */
  n: number;
}

export interface ZTest {
  z: number | null;
  p: number | null;
}

export interface PairedClustered {
  nClusters: number;
  /** SE_pc: CR1 of d (spec 3.6); null when G < 2. */
  se: number | null;
  seCr0: number | null;
  seMillerEq4: number | null;
  /** (SE_pc / SE_p)^2. */
  designEffect: number | null;
  ci: Interval | null;
  z: number | null;
  pNormal: number | null;
  /** M * SE_pc. */
  mde: number | null;
  /** ceil(M^2 n SE_pc^2 / delta^2 - 1e-9) per target delta. */
  nRequired: NRequired[] | null;
}

export interface PairedAnalytic {
  nShared: number;
  nOnlyA: number;
  nOnlyB: number;
  meanA: number | null;
  meanB: number | null;
  /** Delta = dbar (spec 3.2). */
  delta: number | null;
  sdDiff: number | null;
  /** SE_p = s_d / sqrt(n). */
  se: number | null;
  /** SE_A, SE_B computed on Q (for the identity SE_p^2 = SE_A^2 + SE_B^2 - 2 SE_A SE_B r). */
  seA: number | null;
  seB: number | null;
  ci: Interval | null;
  z: number | null;
  /** Normal approximation; the sign-flip p is primary (spec 5.3). */
  pNormal: number | null;
  /** Pearson r of the two runs on Q; null if either is constant. */
  correlation: number | null;
  /** M * SE_p (spec 3.4). */
  mde: number | null;
  nRequired: NRequired[] | null;
  clustered: PairedClustered | null;
  warnings: WarningCode[];
}

/**
 * z = estimate / se and p = erfc(|z| / sqrt 2) (spec 3.2); when se = 0: z null, p = 1 if the
 * estimate is 0, else null.
 */
export function zTest(estimate: number | null, se: number | null): ZTest {
  if (estimate === null || se === null) return { z: null, p: null };
  if (se === 0) return { z: null, p: estimate === 0 ? 1 : null };
  const z = estimate / se;
  return { z, p: twoSidedNormalP(z) };
}

/** Questions needed (spec 3.5, 3.6): raw = M^2 * variance / delta^2, n = ceil(raw - 1e-9). */
export function nRequired(M: number, variance: number, deltas: readonly number[]): NRequired[] {
  return deltas.map((delta) => {
    const raw = (M * M * variance) / (delta * delta);
    return { delta, raw, n: Math.max(0, Math.ceil(raw - 1e-9)) };
  });
}

/** Paired analytic statistics on an alignment (spec 3.1-3.6). */
export function pairedAnalytic(al: Alignment, alpha: number, power: number, targetDeltas: readonly number[]): PairedAnalytic {
  const w = new Warnings();
  const n = al.n;
  const z = zTwoSided(alpha);
  const M = mdeFactor(alpha, power);
  if (n === 0) w.add("NO_SHARED");
  else if (n < 2) w.add("N_LT_2");
  if (n > 0 && n < 30) w.add("SMALL_N");
  const { mean: delta, sd: sdDiff } = moments(al.d);
  const se = sdDiff === null ? null : sdDiff / Math.sqrt(n);
  if (se === 0) w.add("ZERO_VARIANCE");
  const mA = moments(al.a);
  const mB = moments(al.b);
  const t = zTest(delta, se);
  let clustered: PairedClustered | null = null;
  const idx = al.clusters;
  if (idx !== null && delta !== null) {
    const cs = clusteredSe(al.d, delta, sdDiff, idx);
    if (idx.G < 2) w.add("ONE_CLUSTER");
    else if (idx.G < 20) w.add("FEW_CLUSTERS");
    const tc = zTest(delta, cs.cr1);
    clustered = {
      nClusters: idx.G,
      se: cs.cr1,
      seCr0: cs.cr0,
      seMillerEq4: cs.millerEq4,
      designEffect: cs.cr1 !== null && se !== null && se > 0 ? (cs.cr1 / se) * (cs.cr1 / se) : null,
      ci: cs.cr1 === null ? null : normalInterval(delta, cs.cr1, z),
      z: tc.z,
      pNormal: tc.p,
      mde: cs.cr1 === null ? null : M * cs.cr1,
      nRequired: cs.cr1 === null ? null : nRequired(M, n * cs.cr1 * cs.cr1, targetDeltas),
    };
  }
  return {
    nShared: n,
    nOnlyA: al.nOnlyA,
    nOnlyB: al.nOnlyB,
    meanA: mA.mean,
    meanB: mB.mean,
    delta,
    sdDiff,
    se,
    seA: mA.sd === null ? null : mA.sd / Math.sqrt(n),
    seB: mB.sd === null ? null : mB.sd / Math.sqrt(n),
    ci: se === null || delta === null ? null : normalInterval(delta, se, z),
    z: t.z,
    pNormal: t.p,
    correlation: correlation(al.a, al.b, mA, mB),
    mde: se === null ? null : M * se,
    nRequired: sdDiff === null ? null : nRequired(M, sdDiff * sdDiff, targetDeltas),
    clustered,
    warnings: w.list(),
  };
}

/** Power against a given true delta (spec 3.4): Phi(|delta| / SE - z(1 - alpha/2)); null if SE is 0 or null. */
export function powerAgainst(delta: number, se: number | null, alpha = 0.05): number | null {
  if (se === null || se === 0) return null;
  return normalCdf(Math.abs(delta) / se - zTwoSided(alpha));
}
