import { twoSidedNormalP } from "./normal";

/** Kendall's tau-b of two paired samples with its two-sided p-value (scipy.stats.kendalltau). */
export interface KendallResult {
  n: number;
  tau: number | null;
  p: number | null;
  /** exact: the null distribution of inversions (no ties, n <= 33); asymptotic: normal, tie-corrected. */
  method: "exact" | "asymptotic" | null;
}

/** Sum over groups of equal values of f(group size), for the tie corrections. */
function tieSums(values: readonly number[]): { pairs: number; t0: number; t1: number } {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let pairs = 0;
  let t0 = 0;
  let t1 = 0;
  for (const t of counts.values()) {
    pairs += (t * (t - 1)) / 2;
    t0 += t * (t - 1) * (t - 2);
    t1 += t * (t - 1) * (2 * t + 5);
  }
  return { pairs, t0, t1 };
}

/**
 * Two-sided exact p of c inversions (c = min(discordant, total - discordant)) among n untied
 * values: 2 P(K <= c) under the uniform law on permutations, with the number of permutations of
 * n items with k inversions built by scipy's cumulative-sum recursion (`_kendall_p_exact`).
 */
function exactP(n: number, c: number): number {
  if (n <= 2) return 1;
  if (c === 0) return Math.min(1, 2 / factorial(n));
  if (c === 1) return Math.min(1, 2 / factorial(n - 1));
  if (4 * c === n * (n - 1)) return 1;
  let counts = new Float64Array(c + 1);
  counts[0] = 1;
  counts[1] = 1;
  for (let j = 3; j <= n; j++) {
    const sums = new Float64Array(c + 1);
    let running = 0;
    for (let k = 0; k <= c; k++) sums[k] = running += counts[k];
    if (j <= c) for (let k = c; k >= j; k--) sums[k] -= sums[k - j];
    counts = sums;
  }
  let total = 0;
  for (let k = 0; k <= c; k++) total += counts[k];
  return Math.min(1, Math.max(0, (2 * total) / factorial(n)));
}

function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

/**
 * Kendall's tau-b: `(C - D) / sqrt((n0 - n1)(n0 - n2))` with n0 = n(n-1)/2 and n1, n2 the tied
 * pairs in x and y. The p-value follows scipy.stats.kendalltau (method "auto"): exact when neither
 * sample has ties and n <= 33 (or c <= 1), otherwise the normal approximation of C - D with the
 * tie-corrected variance `(m(2n+5) - x1 - y1)/18 + 2 xtie ytie / m + x0 y0 / (9 m (n-2))`, m = n(n-1),
 * xtie = sum t(t-1)/2 (tied pairs), x0 = sum t(t-1)(t-2), x1 = sum t(t-1)(2t+5) over groups of t ties.
 * Undefined (null) for n < 2 or when either sample is constant.
 */
export function kendallTau(x: readonly number[], y: readonly number[]): KendallResult {
  if (x.length !== y.length) throw new RangeError(`kendallTau needs samples of one length (got ${x.length} and ${y.length})`);
  const n = x.length;
  let concordant = 0;
  let discordant = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = Math.sign(x[i] - x[j]) * Math.sign(y[i] - y[j]);
      if (s > 0) concordant++;
      else if (s < 0) discordant++;
    }
  }
  const n0 = (n * (n - 1)) / 2;
  const tx = tieSums(x);
  const ty = tieSums(y);
  const denominator = Math.sqrt((n0 - tx.pairs) * (n0 - ty.pairs));
  if (n < 2 || denominator === 0) return { n, tau: null, p: null, method: null };
  const tau = (concordant - discordant) / denominator;
  const c = Math.min(discordant, n0 - discordant);
  if (tx.pairs === 0 && ty.pairs === 0 && (n <= 33 || c <= 1)) return { n, tau, p: exactP(n, c), method: "exact" };
  const m = n * (n - 1);
  const variance = (m * (2 * n + 5) - tx.t1 - ty.t1) / 18 + (2 * tx.pairs * ty.pairs) / m + (n > 2 ? (tx.t0 * ty.t0) / (9 * m * (n - 2)) : 0);
  return { n, tau, p: twoSidedNormalP((concordant - discordant) / Math.sqrt(variance)), method: "asymptotic" };
}
