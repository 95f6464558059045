/** Exact binomial(1/2) tails for McNemar and the closed-form sign-flip test (spec 5.1, 5.2). */
import { exp, log } from "./det-math";

// On 0/1 scores exact McNemar and the closed-form sign-flip test ask for the same tail (spec 5.2),
// which costs O(min(k, m - k)) logarithms: the last answer is kept.
let last = { kmin: -1, m: -1, p: 1 };

/**
 * Exact two-sided binomial(1/2) tail (spec 5.1, 5.2 closed form), in log space:
 * `p = min(1, 2 * sum_{k=0}^{min(b,c)} C(m, k) / 2^m)`, `L_0 = -m ln 2`,
 * `L_{k+1} = L_k + ln(m - k) - ln(k + 1)`, then log-sum-exp. `m = 0` gives 1.
 */
export function binomialTwoSidedHalfP(k: number, m: number): number {
  if (m === 0) return 1;
  const kmin = Math.min(k, m - k);
  if (kmin === last.kmin && m === last.m) return last.p;
  const L = new Float64Array(kmin + 1);
  L[0] = -m * Math.LN2;
  for (let j = 0; j < kmin; j++) L[j + 1] = L[j] + log(m - j) - log(j + 1);
  // Terms increase with j for j <= m/2, so the last is the largest.
  const top = L[kmin];
  let s = 0;
  for (let j = 0; j <= kmin; j++) s += exp(L[j] - top);
  const p = Math.min(1, 2 * exp(top + log(s)));
  last = { kmin, m, p };
  return p;
}
