/**
 * McNemar's test on paired 0/1 scores (spec 5.1): exact binomial (primary), chi-square without and
 * with continuity correction. Non-binary input gives null (+ NOT_BINARY); never binarizes.
 */
import { binomialTwoSidedHalfP } from "./binomial";
import { chiSquare1Tail } from "./normal";

export interface McNemarResult {
  bothCorrect: number;
  /** b = #(A=1, B=0) */
  onlyA: number;
  /** c = #(A=0, B=1) */
  onlyB: number;
  bothWrong: number;
  /** m = b + c */
  nDiscordant: number;
  /** Exact two-sided binomial p on the discordant pairs. */
  pExact: number;
  /** (b - c)^2 / m; 0 when m = 0. */
  chi2: number;
  pChi2: number;
  /** max(0, |b - c| - 1)^2 / m; 0 when m = 0. */
  chi2Cc: number;
  pChi2Cc: number;
}

/** McNemar from counts (spec 5.1). */
export function mcnemarFromCounts(bothCorrect: number, onlyA: number, onlyB: number, bothWrong: number): McNemarResult {
  const m = onlyA + onlyB;
  const chi2 = m === 0 ? 0 : ((onlyA - onlyB) * (onlyA - onlyB)) / m;
  const chi2Cc = m === 0 ? 0 : (Math.max(0, Math.abs(onlyA - onlyB) - 1) * Math.max(0, Math.abs(onlyA - onlyB) - 1)) / m;
  return {
    bothCorrect,
    onlyA,
    onlyB,
    bothWrong,
    nDiscordant: m,
    pExact: binomialTwoSidedHalfP(onlyA, m),
    chi2,
    pChi2: m === 0 ? 1 : chiSquare1Tail(chi2),
    chi2Cc,
    pChi2Cc: m === 0 ? 1 : chiSquare1Tail(chi2Cc),
  };
}

/** McNemar on aligned paired scores (spec 5.1); null when either run is not 0/1 on Q or n = 0. */
export function mcnemar(a: ArrayLike<number>, b: ArrayLike<number>): McNemarResult | null {
  const n = a.length;
  if (n === 0) return null;
  // One pass: on 0/1 scores the four cells follow from sum a, sum b and sum a*b.
  let sumA = 0;
  let sumB = 0;
  let both = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if ((x !== 0 && x !== 1) || (y !== 0 && y !== 1)) return null;
    sumA += x;
    sumB += y;
    both += x * y;
  }
  return mcnemarFromCounts(both, sumA - both, sumB - both, n - sumA - sumB + both);
}
