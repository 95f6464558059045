export interface HistogramBin {
  /** Lower and upper edge; the last bin includes its upper edge. */
  lo: number;
  hi: number;
  count: number;
}

/**
 * Equal-width bins over [min, max] of the finite values. A single distinct value gets one bin of
 * width zero, so a run of identical differences still draws one bar.
 */
export function histogram(values: readonly number[], bins = 30): HistogramBin[] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [];
  let min = Infinity;
  let max = -Infinity;
  for (const v of finite) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === max) return [{ lo: min, hi: max, count: finite.length }];
  const width = (max - min) / bins;
  const out = Array.from({ length: bins }, (_, i) => ({ lo: min + i * width, hi: i === bins - 1 ? max : min + (i + 1) * width, count: 0 }));
  for (const v of finite) out[Math.min(bins - 1, Math.floor((v - min) / width))].count += 1;
  return out;
}
