/**
 * Mean, sample SD and constancy (spec 1.3, 2.1-2.2) on top of simple-statistics' compensated
 * `mean` and n-1 `sampleVariance` (spec 9). Constant input gets exactly 0 variance, so a column of
 * 0.1s never yields a float-noise SE.
 */
import { mean as ssMean, sampleVariance, sum as ssSum } from "simple-statistics";

/** True when every value is identical (includes n <= 1). */
export function isConstant(x: ArrayLike<number>): boolean {
  for (let i = 1; i < x.length; i++) if (x[i] !== x[0]) return false;
  return true;
}

/** True when every value is 0 or 1 (spec 2.4, 5.1). */
export function isBinary(x: ArrayLike<number>): boolean {
  for (let i = 0; i < x.length; i++) if (x[i] !== 0 && x[i] !== 1) return false;
  return true;
}

/** xbar = (1/n) sum x_i, compensated (spec 2.1); null for n = 0. Constant input returns x_0 exactly. */
export function mean(x: number[]): number | null {
  if (x.length === 0) return null;
  if (isConstant(x)) return x[0];
  return ssMean(x);
}

/** Compensated sum (ss.sum). */
export function sum(x: number[]): number {
  return x.length === 0 ? 0 : ssSum(x);
}

/** Sample SD s with n - 1 (spec 1.3); null for n < 2; exactly 0 for constant input. */
export function sampleSd(x: number[]): number | null {
  if (x.length < 2) return null;
  if (isConstant(x)) return 0;
  return Math.sqrt(sampleVariance(x));
}

/** Pearson r (spec 3.3) via ss.sampleCorrelation; null when either input is constant or n < 2. */
export { sampleCorrelation } from "simple-statistics";
