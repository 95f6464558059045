/**
 * Paired bootstrap of the mean difference (spec 6): question level (6.1) and cluster level (6.4),
 * percentile and BCa intervals from one replicate array (6.2, 6.3), seeded mulberry32 (7).
 *
 * Paths (option `path`, resolved by `chooseBootstrapPath`):
 * - 'reference': the spec 7.3 loop, bit for bit (exact replay); mulberry32's draws come from
 *   draw-stream.ts (generated once per seed, shared by every bootstrap of a comparison) in the same
 *   order. O(n) per replicate. Always used for the cluster bootstrap (O(G) per replicate).
 * - 'fast', resampler 'multinomial': when d takes at most FAST_MAX_DISTINCT distinct values (0/1
 *   scores give d in {-1, 0, 1}; partial credit a handful) a resample is an exact
 *   Multinomial(n; n_k / n) draw of counts (multinomial.ts): O(K log n) per replicate. Same
 *   distribution as the reference, different random stream: lands in the golden bands, no replay.
 * - 'fast', resampler 'binned-normal': continuous d. Bin counts are drawn exactly over
 *   BINNED_BINS equal-count quantile bins; the sum inside a bin comes from its CLT normal. An
 *   approximation, used by 'auto' only when n >= BINNED_MIN_N (bins of >= ~150 values and draws).
 * - 'auto' (default): 'fast' when n * B > 2^24 (e.g. n >= 1,678 at B = 10,000) and d is discrete
 *   or n >= BINNED_MIN_N; otherwise 'reference'.
 */
import { clusterSums, type ClusterIndex } from "./cluster";
import { jackknifeAcceleration, meanAcceleration, summarizeReplicates } from "./bca";
import { DrawWindows } from "./draw-stream";
import { moments } from "./moments";
import { normalQuantile, zTwoSided } from "./normal";
import { binnedBootstrapMeans, distinctValues, multinomialBootstrapMeans } from "./multinomial";
import { rngIsLong } from "./rng";
import type { ComputePath, Interval } from "./types";
import { Warnings, type WarningCode } from "./warnings";

export const FAST_MAX_DISTINCT = 64;
export const BOOTSTRAP_FAST_THRESHOLD = 2 ** 24;
export const BINNED_BINS = 64;
export const BINNED_MIN_N = 20000;

export type Resampler = "spec-7.3" | "multinomial" | "binned-normal";

export interface BootstrapOptions {
  B?: number;
  seed?: number;
  alpha?: number;
  path?: ComputePath;
  /** Keep the replicate array in the result (for replay checks and plots). */
  keepReplicates?: boolean;
}

export interface BootstrapResult {
  kind: "question" | "cluster";
  /** thetaHat = dbar (question) or S / N (cluster). */
  thetaHat: number;
  B: number;
  seed: number;
  path: "reference" | "fast";
  resampler: Resampler;
  /** n (question level) or G (cluster level). */
  nUnits: number;
  /** SE_boot: sd of replicates with B - 1 (spec 6.1). */
  se: number;
  /** sqrt(sum (d_i - dbar)^2) / n, the B -> infinity bootstrap SE (question level only). */
  seIdeal: number | null;
  percentileCi: Interval;
  bcaCi: Interval;
  bcaMethod: "bca" | "percentile-fallback";
  z0: number | null;
  p0: number;
  acceleration: number;
  replicates: Float64Array | null;
  warnings: WarningCode[];
}

/** Which loop runs the question-level bootstrap (see module doc). */
export function chooseBootstrapPath(d: ArrayLike<number>, B: number, path: ComputePath = "auto"): { path: "reference" | "fast"; resampler: Resampler } {
  if (path === "reference") return { path, resampler: "spec-7.3" };
  const discrete = distinctValues(d, FAST_MAX_DISTINCT) !== null;
  const fast = { path: "fast" as const, resampler: discrete ? ("multinomial" as const) : ("binned-normal" as const) };
  if (path === "fast") return fast;
  const big = d.length * B > BOOTSTRAP_FAST_THRESHOLD;
  return big && (discrete || d.length >= BINNED_MIN_N) ? fast : { path: "reference", resampler: "spec-7.3" };
}

/** One replicate of the spec 7.3 question loop: the mean of d over the indices its n draws select. */
function questionReplicate(x: Float64Array, window: DrawWindows): number {
  const n = x.length;
  const u = window.draws;
  const start = window.start;
  let acc = 0;
  for (let k = 0; k < n; k++) acc += x[Math.floor((u[start + k] / 4294967296) * n)];
  return acc / n;
}

/**
 * Spec 7.3 question bootstrap: `for b { acc = 0; for k < n { acc += d[floor(next() * n)] };
 * theta*_b = acc / n }`, mulberry32(seed)'s draws read from DrawWindows in the same order.
 */
export function questionBootstrapReplicates(d: ArrayLike<number>, B: number, seed: number): Float64Array {
  const x = Float64Array.from(d);
  const out = new Float64Array(B);
  const window = new DrawWindows(seed, x.length, B);
  for (let b = 0; b < B; b++) {
    window.at(b);
    out[b] = questionReplicate(x, window);
  }
  return out;
}

/**
 * Spec 7.3 cluster bootstrap: `for b { num = den = 0; for k < G { g = floor(next() * G);
 * num += S_g; den += m_g }; theta*_b = num / den }`.
 */
export function clusterBootstrapReplicates(S: Float64Array, m: Float64Array, B: number, seed: number): Float64Array {
  const G = S.length;
  const out = new Float64Array(B);
  const window = new DrawWindows(seed, G, B);
  for (let b = 0; b < B; b++) {
    window.at(b);
    const u = window.draws;
    const start = window.start;
    let num = 0;
    let den = 0;
    for (let k = 0; k < G; k++) {
      const g = Math.floor((u[start + k] / 4294967296) * G);
      num += S[g];
      den += m[g];
    }
    out[b] = num / den;
  }
  return out;
}

/** Mean |d_i|, the tie scale of spec 1.6. */
function meanAbs(d: ArrayLike<number>): number {
  let sa = 0;
  for (let i = 0; i < d.length; i++) sa += Math.abs(d[i]);
  return sa / d.length;
}

/**
 * Question-level paired bootstrap of the mean difference (spec 6.1-6.3) over d in canonical
 * order. Returns null for n < 2 (spec 6.1).
 */
export function pairedBootstrap(d: ArrayLike<number>, options: BootstrapOptions = {}): BootstrapResult | null {
  const n = d.length;
  if (n < 2) return null;
  const B = options.B ?? 10000;
  const seed = (options.seed ?? 2024) >>> 0;
  const alpha = options.alpha ?? 0.05;
  const w = new Warnings();
  const dbar = moments(d).mean as number;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (d[i] - dbar) * (d[i] - dbar);
  const { path, resampler } = chooseBootstrapPath(d, B, options.path);
  let replicates: Float64Array;
  if (resampler === "multinomial") {
    const dv = distinctValues(d, FAST_MAX_DISTINCT)!;
    replicates = multinomialBootstrapMeans(dv.values, dv.counts, B, seed);
  } else if (resampler === "binned-normal") {
    replicates = binnedBootstrapMeans(d, BINNED_BINS, B, seed);
  } else {
    if (rngIsLong(B, n)) w.add("RNG_LONG");
    replicates = questionBootstrapReplicates(d, B, seed);
  }
  const acceleration = meanAcceleration(d, dbar);
  const s = summarizeReplicates(replicates, dbar, acceleration, Math.max(Math.abs(dbar), meanAbs(d)), alpha);
  if (s.degenerate) w.add("BCA_DEGENERATE");
  return {
    kind: "question",
    thetaHat: dbar,
    B,
    seed,
    path,
    resampler,
    nUnits: n,
    se: s.se,
    seIdeal: Math.sqrt(ss) / n,
    percentileCi: s.percentileCi,
    bcaCi: s.bcaCi,
    bcaMethod: s.bcaMethod,
    z0: s.z0,
    p0: s.p0,
    acceleration,
    replicates: options.keepReplicates ? replicates : null,
    warnings: w.list(),
  };
}

/**
 * pairedBootstrap(d, options).warnings without its replicate array, for when its interval is not
 * shown (with clusters the cluster bootstrap is, spec 6.4). On the spec 7.3 path BCa is degenerate
 * only when no replicate lies on one side of thetaHat (p0 is 0 or 1) or when 1 - acc (z0 + zq) <= 0,
 * which a small |acc| rules out for every p0 in [1/(2B), 1 - 1/(2B)]. So the loop stops once it
 * has seen a replicate on each side, usually within the first few; anything less certain (a large
 * |acc|, a side never reached, the fast resamplers) runs the whole bootstrap.
 */
export function pairedBootstrapWarnings(d: ArrayLike<number>, options: BootstrapOptions = {}): WarningCode[] {
  const n = d.length;
  if (n < 2) return [];
  const B = options.B ?? 10000;
  const whole = () => pairedBootstrap(d, options)!.warnings;
  if (chooseBootstrapPath(d, B, options.path).resampler !== "spec-7.3") return whole();
  const dbar = moments(d).mean as number;
  // |z0| <= Phi^-1(1 - 1/(2B)) when p0 is neither 0 nor 1; the + 1 absorbs Phi^-1's approximation
  const zBound = normalQuantile(1 - 1 / (2 * B)) + zTwoSided(options.alpha ?? 0.05) + 1;
  if (Math.abs(meanAcceleration(d, dbar)) * zBound >= 1) return whole();
  const tol = 1e-9 * Math.max(Math.abs(dbar), meanAbs(d));
  const x = Float64Array.from(d);
  const window = new DrawWindows(options.seed ?? 2024, n, B);
  let atOrBelow = false;
  let atOrAbove = false;
  for (let b = 0; b < B && !(atOrBelow && atOrAbove); b++) {
    window.at(b);
    const theta = questionReplicate(x, window);
    if (theta <= dbar + tol) atOrBelow = true;
    if (!(theta < dbar - tol)) atOrAbove = true;
  }
  if (!(atOrBelow && atOrAbove)) return whole();
  return rngIsLong(B, n) ? ["RNG_LONG"] : [];
}

/**
 * Cluster-level paired bootstrap (spec 6.4): resamples G clusters; BCa jackknife leaves one cluster
 * out, `theta_(g) = (S - S_g) / (N - m_g)`. Always the reference loop. Null when G < 2 or n < 2.
 */
export function clusterBootstrap(d: ArrayLike<number>, idx: ClusterIndex, options: BootstrapOptions = {}): BootstrapResult | null {
  const n = d.length;
  if (n < 2 || idx.G < 2) return null;
  const B = options.B ?? 10000;
  const seed = (options.seed ?? 2024) >>> 0;
  const alpha = options.alpha ?? 0.05;
  const w = new Warnings();
  if (idx.G < 20) w.add("FEW_CLUSTERS");
  if (rngIsLong(B, idx.G)) w.add("RNG_LONG");
  const { S, m } = clusterSums(d, idx);
  let Stot = 0;
  for (let g = 0; g < idx.G; g++) Stot += S[g];
  const constant = moments(d).constant;
  const thetaHat = constant ? d[0] : Stot / n;
  const jack = new Float64Array(idx.G);
  for (let g = 0; g < idx.G; g++) jack[g] = (Stot - S[g]) / (n - m[g]);
  const acceleration = constant ? 0 : jackknifeAcceleration(jack);
  const replicates = clusterBootstrapReplicates(S, m, B, seed);
  const s = summarizeReplicates(replicates, thetaHat, acceleration, Math.max(Math.abs(thetaHat), meanAbs(d)), alpha);
  if (s.degenerate) w.add("BCA_DEGENERATE");
  return {
    kind: "cluster",
    thetaHat,
    B,
    seed,
    path: "reference",
    resampler: "spec-7.3",
    nUnits: idx.G,
    se: s.se,
    seIdeal: null,
    percentileCi: s.percentileCi,
    bcaCi: s.bcaCi,
    bcaMethod: s.bcaMethod,
    z0: s.z0,
    p0: s.p0,
    acceleration,
    replicates: options.keepReplicates ? replicates : null,
    warnings: w.list(),
  };
}
