/**
 * Exact multinomial resampling for differences that take few distinct values (the bootstrap fast
 * path, spec 6.1): a resample of n values is a Multinomial(n; n_k / n) vector of counts, drawn as a
 * chain of conditional binomials. Each binomial is drawn by inversion of its pmf table (built from
 * the mode outwards by the ratio recursion, truncated below 1e-20 of the mode), with a 53-bit
 * uniform made of two mulberry32 words. Cost per replicate: O(K log n) instead of O(n).
 */
import { log } from "./det-math";
import { mulberry32Uint32 } from "./rng";

class BinomialTable {
  private cdf = new Float64Array(0);
  private lo = 0;
  private len = 0;

  /** Builds the CDF of Binomial(N, p) over the range that carries all but ~1e-20 of the mass. */
  build(N: number, p: number): void {
    const q = 1 - p;
    const r = p / q;
    const mode = Math.min(N, Math.floor((N + 1) * p));
    // Downward and upward weights relative to the mode.
    const down: number[] = [];
    let w = 1;
    for (let k = mode; k > 0; k--) {
      w = (w * k) / ((N - k + 1) * r);
      if (w < 1e-20) break;
      down.push(w);
    }
    const up: number[] = [];
    w = 1;
    for (let k = mode; k < N; k++) {
      w = (w * (N - k) * r) / (k + 1);
      if (w < 1e-20) break;
      up.push(w);
    }
    this.lo = mode - down.length;
    this.len = down.length + 1 + up.length;
    if (this.cdf.length < this.len) this.cdf = new Float64Array(this.len);
    let acc = 0;
    let i = 0;
    for (let j = down.length - 1; j >= 0; j--) this.cdf[i++] = acc += down[j];
    this.cdf[i++] = acc += 1;
    for (let j = 0; j < up.length; j++) this.cdf[i++] = acc += up[j];
    for (let j = 0; j < this.len; j++) this.cdf[j] /= acc;
  }

  /** Smallest k with CDF(k) > u (inversion). */
  draw(u: number): number {
    let lo = 0;
    let hi = this.len - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return this.lo + lo;
  }
}

/** Distinct values (ascending) and their counts, or null when there are more than `maxDistinct`. */
export function distinctValues(d: ArrayLike<number>, maxDistinct: number): { values: Float64Array; counts: Int32Array } | null {
  const m = new Map<number, number>();
  for (let i = 0; i < d.length; i++) {
    const c = m.get(d[i]);
    if (c === undefined) {
      if (m.size >= maxDistinct) return null;
      m.set(d[i], 1);
    } else m.set(d[i], c + 1);
  }
  const values = Float64Array.from(m.keys()).sort();
  const counts = Int32Array.from(values, (v) => m.get(v)!);
  return { values, counts };
}

/**
 * B bootstrap means of n values given as distinct `values` with `counts` (sum = n): for each
 * replicate, counts c_k ~ Multinomial(n; counts/n) and theta* = sum_k values_k c_k / n.
 * With `withinSd` (binned-normal mode, see `binnedBootstrapMeans`), `values` are bin means and the
 * sum of the c_k draws inside bin k is c_k * mean_k + sqrt(c_k) * withinSd_k * Z (CLT).
 */
export function multinomialBootstrapMeans(
  values: Float64Array,
  counts: Int32Array,
  B: number,
  seed: number,
  withinSd: Float64Array | null = null
): Float64Array {
  const K = values.length;
  let n = 0;
  for (let k = 0; k < K; k++) n += counts[k];
  const nextU = mulberry32Uint32(seed);
  const uniform53 = () => ((nextU() >>> 5) * 67108864 + (nextU() >>> 6)) / 9007199254740992;
  // Marsaglia polar standard normals (binned-normal mode only); det-math log, no trig, so the
  // browser worker and Node draw identical numbers.
  let spare: number | null = null;
  const normal = (): number => {
    if (spare !== null) {
      const z = spare;
      spare = null;
      return z;
    }
    for (;;) {
      const u = 2 * uniform53() - 1;
      const v = 2 * uniform53() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const f = Math.sqrt((-2 * log(s)) / s);
        spare = v * f;
        return u * f;
      }
    }
  };
  const noise = (k: number, c: number): number => (withinSd === null || withinSd[k] === 0 || c === 0 ? 0 : Math.sqrt(c) * withinSd[k] * normal());
  const remaining = new Int32Array(B).fill(n);
  const totals = new Float64Array(B);
  let restCount = n;
  for (let k = 0; k < K - 1; k++) {
    const p = counts[k] / restCount;
    restCount -= counts[k];
    if (p === 0) continue;
    // Tables are cached per remaining count N within the stage (replicates share N values).
    const cache = new Map<number, BinomialTable>();
    for (let b = 0; b < B; b++) {
      const N = remaining[b];
      let c: number;
      if (N === 0) c = 0;
      else if (p >= 1) c = N;
      else {
        let table = cache.get(N);
        if (table === undefined) {
          table = new BinomialTable();
          table.build(N, p);
          cache.set(N, table);
        }
        c = table.draw(uniform53());
      }
      remaining[b] = N - c;
      totals[b] += values[k] * c + noise(k, c);
    }
  }
  const out = new Float64Array(B);
  for (let b = 0; b < B; b++) out[b] = (totals[b] + values[K - 1] * remaining[b] + noise(K - 1, remaining[b])) / n;
  return out;
}

/**
 * Binned-normal bootstrap means for continuous d (approximate fast path): sort d, cut it into K
 * equal-count bins, draw the bin counts exactly (multinomial), and the sum inside each bin from
 * its CLT normal (mean c_k * binMean_k, variance c_k * binVar_k, population variance). Exact when
 * every bin holds one distinct value; at n = 100,000 with K = 64 each bin has ~1,560 elements and
 * ~1,560 draws, so the CLT error is far below Monte Carlo noise.
 */
export function binnedBootstrapMeans(d: ArrayLike<number>, K: number, B: number, seed: number): Float64Array {
  const sorted = Float64Array.from(d).sort();
  const n = sorted.length;
  const k = Math.min(K, n);
  const values = new Float64Array(k);
  const counts = new Int32Array(k);
  const sds = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const lo = Math.floor((j * n) / k);
    const hi = Math.floor(((j + 1) * n) / k);
    let s = 0;
    for (let i = lo; i < hi; i++) s += sorted[i];
    const mu = s / (hi - lo);
    let ss = 0;
    for (let i = lo; i < hi; i++) ss += (sorted[i] - mu) * (sorted[i] - mu);
    values[j] = mu;
    counts[j] = hi - lo;
    sds[j] = Math.sqrt(ss / (hi - lo));
  }
  return multinomialBootstrapMeans(values, counts, B, seed, sds);
}
