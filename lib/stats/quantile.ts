/**
 * Type-7 sample quantile (spec 1.5; numpy 'linear', R default).
 * `h = (B - 1) p`, `j = floor(h)`, `Q7 = x_j + (h - j)(x_{j+1} - x_j)`, `x_j` when `j = B - 1`.
 * Written by hand (five lines) so the hot path needs no array copies; equals ss.quantileSorted.
 */
export function quantileSorted7(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError("quantile of an empty sample");
  const h = (n - 1) * p;
  const j = Math.floor(h);
  if (j >= n - 1) return sorted[n - 1];
  if (j < 0) return sorted[0];
  return sorted[j] + (h - j) * (sorted[j + 1] - sorted[j]);
}

/** Type-7 quantile of an unsorted sample (copies and sorts numerically). */
export function quantile7(values: ArrayLike<number>, p: number): number {
  const s = Float64Array.from(values as ArrayLike<number>).sort();
  return quantileSorted7(s, p);
}
