/**
 * Interval summaries of one bootstrap replicate array (spec 6.1-6.3, 7.3: percentile CI, BCa and
 * SE_boot all use the same replicates).
 */
import { normalCdf, normalQuantile, zTwoSided } from "./normal";
import { quantileSorted7 } from "./quantile";
import type { Interval } from "./types";

export interface ReplicateSummary {
  /** SE_boot = sd(theta*) with B - 1 (spec 6.1). */
  se: number;
  /** [Q7(alpha/2), Q7(1 - alpha/2)] (spec 6.2). */
  percentileCi: Interval;
  /** BCa interval, or the percentile CI when degenerate (spec 6.3). */
  bcaCi: Interval;
  bcaMethod: "bca" | "percentile-fallback";
  /** z0 = Phi^-1(p0); null when p0 is 0 or 1. */
  z0: number | null;
  /** p0 with ties counted one half (spec 6.3). */
  p0: number;
  degenerate: boolean;
}

/** Sample SD with n - 1 of the replicates (spec 6.1), two-pass. */
export function replicateSd(x: ArrayLike<number>): number {
  const n = x.length;
  if (n < 2) return 0;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  const mu = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - mu) * (x[i] - mu);
  return Math.sqrt(ss / (n - 1));
}

/** First index i with sorted[i] >= v (or > v when `strict`). */
function lowerBound(sorted: Float64Array, v: number, strict: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (strict ? sorted[mid] <= v : sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Percentile CI, BCa and SE from replicates (spec 6.1-6.3).
 * `p0 = (#{theta* < thetaHat - tol} + #{theta* <= thetaHat + tol}) / (2B)`, `tol = 1e-9 * scale`
 * (spec 1.6); `level = Phi(z0 + (z0 + zq) / (1 - acc (z0 + zq)))`; degenerate when p0 is 0 or 1 or
 * `1 - acc (z0 + zq) <= 0`, then the percentile CI is returned with method 'percentile-fallback'.
 */
export function summarizeReplicates(
  replicates: Float64Array,
  thetaHat: number,
  acceleration: number,
  scale: number,
  alpha: number
): ReplicateSummary {
  const B = replicates.length;
  const se = replicateSd(replicates);
  const sorted = Float64Array.from(replicates).sort();
  const percentileCi: Interval = [quantileSorted7(sorted, alpha / 2), quantileSorted7(sorted, 1 - alpha / 2)];
  const tol = 1e-9 * scale;
  const below = lowerBound(sorted, thetaHat - tol, false);
  const atOrBelow = lowerBound(sorted, thetaHat + tol, true);
  const p0 = (below + atOrBelow) / (2 * B);
  let degenerate = p0 <= 0 || p0 >= 1;
  let z0: number | null = null;
  let bcaCi: Interval = percentileCi;
  if (!degenerate) {
    const z0v = normalQuantile(p0);
    z0 = z0v;
    const zc = zTwoSided(alpha);
    const levels: number[] = [];
    for (const zq of [-zc, zc]) {
      const den = 1 - acceleration * (z0v + zq);
      if (den <= 0) {
        degenerate = true;
        break;
      }
      levels.push(normalCdf(z0v + (z0v + zq) / den));
    }
    if (!degenerate) bcaCi = [quantileSorted7(sorted, levels[0]), quantileSorted7(sorted, levels[1])];
  }
  return { se, percentileCi, bcaCi: degenerate ? percentileCi : bcaCi, bcaMethod: degenerate ? "percentile-fallback" : "bca", z0, p0, degenerate };
}

/**
 * Jackknife acceleration (spec 6.3): `acc = sum (thetaDot - theta_(i))^3 / (6 (sum (thetaDot -
 * theta_(i))^2)^1.5)`, 0 when the denominator is 0.
 */
export function jackknifeAcceleration(jack: ArrayLike<number>): number {
  const n = jack.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += jack[i];
  const dot = s / n;
  let s2 = 0;
  let s3 = 0;
  for (let i = 0; i < n; i++) {
    const e = dot - jack[i];
    s2 += e * e;
    s3 += e * e * e;
  }
  const den = 6 * s2 * Math.sqrt(s2); // not s2 ** 1.5: Math.pow may differ between JS engines
  return den > 0 ? s3 / den : 0;
}

/** Paired-mean acceleration (spec 6.3): `sum (d_i - dbar)^3 / (6 (sum (d_i - dbar)^2)^1.5)`; 0 for constant d. */
export function meanAcceleration(d: ArrayLike<number>, dbar: number): number {
  let s2 = 0;
  let s3 = 0;
  let constant = true;
  for (let i = 0; i < d.length; i++) {
    if (d[i] !== d[0]) constant = false;
    const e = d[i] - dbar;
    s2 += e * e;
    s3 += e * e * e;
  }
  if (constant) return 0;
  const den = 6 * s2 * Math.sqrt(s2); // not s2 ** 1.5: Math.pow may differ between JS engines
  return den > 0 ? s3 / den : 0;
}
