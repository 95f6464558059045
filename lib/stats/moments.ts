/**
 * Mean, sample SD, constancy and 0/1-ness of a sample (spec 1.3, 2.1-2.2) on top of
 * simple-statistics' compensated `sum` (spec 9). Constant input gets exactly its
 * value as mean and exactly 0 variance, so a column of 0.1s never yields a float-noise SE.
 */
import { sum as ssSum } from "simple-statistics";

/** simple-statistics declares number[] but only indexes its argument, so typed arrays work as is. */
const indexable = (x: ArrayLike<number>) => x as unknown as number[];

export interface Moments {
  /** xbar = (1/n) sum x_i, compensated (spec 2.1); null for n = 0. */
  mean: number | null;
  /** Sample SD s with n - 1 (spec 1.3); null for n < 2. */
  sd: number | null;
  /** Every value identical (includes n <= 1). */
  constant: boolean;
  /** n >= 1 and every value 0 or 1. */
  binary: boolean;
}

/** Mean and SD exactly as ss.mean and ss.sampleStandardDeviation compute them, plus the flags; two passes. */
export function moments(x: ArrayLike<number>): Moments {
  const n = x.length;
  if (n === 0) return { mean: null, sd: null, constant: true, binary: false };
  const x0 = x[0];
  const ssMean = ssSum(indexable(x)) / n;
  let constant = true;
  let binary = true;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v !== x0) constant = false;
    if (v !== 0 && v !== 1) binary = false;
    const e = v - ssMean;
    ss += e * e;
  }
  if (constant) return { mean: x0, sd: n >= 2 ? 0 : null, constant, binary };
  return { mean: ssMean, sd: Math.sqrt(ss / (n - 1)), constant, binary };
}

/**
 * Pearson r (spec 3.3) from the samples' moments: the same arithmetic as ss.sampleCorrelation
 * (`cov / sd_x / sd_y`, n - 1 throughout) in one pass, where ss would recompute both means twice.
 * Null when n < 2 or either sample is constant.
 */
export function correlation(x: ArrayLike<number>, y: ArrayLike<number>, mx: Moments, my: Moments): number | null {
  const n = x.length;
  if (n < 2 || mx.constant || my.constant) return null;
  const xbar = mx.mean as number;
  const ybar = my.mean as number;
  let s = 0;
  for (let i = 0; i < n; i++) s += (x[i] - xbar) * (y[i] - ybar);
  const r = s / (n - 1) / (mx.sd as number) / (my.sd as number);
  return Number.isNaN(r) ? null : r;
}
