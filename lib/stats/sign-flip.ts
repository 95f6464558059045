/**
 * Paired sign-flip (randomization) test, two-sided (spec 5.2): exact enumeration for m <= 20,
 * closed-form binomial when every |D_i| is equal (m > 20), Monte Carlo otherwise (+1 rule, [PS]).
 *
 * Paths for the Monte Carlo case (choose with `path`, see `chooseSignFlipPath`):
 * - reference: spec 7.3 exactly, one `next()` per nonzero difference per replicate (exact replay).
 * - fast: one mulberry32 uint32 gives 32 sign bits; 8 bits at a time index a precomputed table of
 *   the 256 signed partial sums of 8 consecutive D_i. Same randomization distribution, not the same
 *   stream, so it lands in the golden band but does not replay. 'auto' picks fast when m * B > 2^24.
 */
import { binomialTwoSidedHalfP } from "./binomial";
import { mulberry32, rngIsLong } from "./rng";
import type { ComputePath } from "./types";
import type { WarningCode } from "./warnings";

export type SignFlipMethod = "exact_enumeration" | "exact_binomial" | "monte_carlo";

export interface SignFlipResult {
  method: SignFlipMethod;
  /** m = number of nonzero differences. */
  mNonzero: number;
  /** Two-sided p-value. */
  p: number;
  /** Monte Carlo only: #{|T*| >= T_obs - tolT} over the B replicates (identity not included). */
  countExtreme: number | null;
  /** Monte Carlo only. */
  B: number | null;
  seed: number | null;
  /** Monte Carlo only: which loop ran. */
  path: "reference" | "fast" | null;
  warnings: WarningCode[];
}

export interface SignFlipOptions {
  B?: number;
  seed?: number;
  path?: ComputePath;
  /** Largest m enumerated exactly (spec 5.2: 20). */
  exactMax?: number;
  /** Skip enumeration and the closed form and run Monte Carlo (replay checks, benchmarks). */
  forceMonteCarlo?: boolean;
}

/** Threshold for `auto`: the fast Monte Carlo loop runs when m * B exceeds this. */
export const SIGN_FLIP_FAST_THRESHOLD = 2 ** 24;

/** The Monte Carlo loop that `path` selects for m nonzero differences and B replicates. */
export function chooseSignFlipPath(m: number, B: number, path: ComputePath = "auto"): "reference" | "fast" {
  if (path !== "auto") return path;
  return m * B > SIGN_FLIP_FAST_THRESHOLD ? "fast" : "reference";
}

/** All 2^k signed sums of xs[0..k): entry `mask` flips xs[j] when bit j is set. */
function signedSubsetSums(xs: ArrayLike<number>, start: number, k: number): Float64Array {
  const out = new Float64Array(1 << k);
  let base = 0;
  for (let j = 0; j < k; j++) base += xs[start + j];
  out[0] = base;
  for (let mask = 1; mask < 1 << k; mask++) {
    const low = 31 - Math.clz32(mask & -mask);
    out[mask] = out[mask & (mask - 1)] - 2 * xs[start + low];
  }
  return out;
}

/**
 * Exact enumeration of all 2^m sign masks (spec 5.2), meet-in-the-middle: the 2^m totals are sums of
 * a left-half and a right-half signed sum. Returns #{|T*| >= threshold}.
 */
export function exactSignFlipCount(D: ArrayLike<number>, threshold: number): number {
  const m = D.length;
  const k1 = m >> 1;
  const left = signedSubsetSums(D, 0, k1);
  const right = signedSubsetSums(D, k1, m - k1);
  let count = 0;
  for (let i = 0; i < left.length; i++) {
    const l = left[i];
    for (let j = 0; j < right.length; j++) {
      const t = l + right[j];
      if (t >= threshold || -t >= threshold) count++;
    }
  }
  return count;
}

/** Spec 5.2 / 7.3 Monte Carlo loop: u = next(); -D_i if u < 0.5 else D_i. Returns the count. */
export function signFlipMonteCarloReference(D: ArrayLike<number>, threshold: number, B: number, seed: number): number {
  const next = mulberry32(seed);
  const m = D.length;
  let count = 0;
  for (let b = 0; b < B; b++) {
    let t = 0;
    for (let i = 0; i < m; i++) t += next() < 0.5 ? -D[i] : D[i];
    if (Math.abs(t) >= threshold) count++;
  }
  return count;
}

/** Chunks of 8 differences whose tables (2 KiB each) are walked together: 256 KiB stays in cache. */
const FAST_BLOCK_CHUNKS = 128;

/**
 * Fast Monte Carlo loop (see module doc): 8 sign bits per table lookup. Returns the count.
 * The tables take 256 bytes per difference (25 MB at m = 100,000), so the loop walks them one
 * cache-sized block of chunks at a time for every replicate; mulberry32 is a counter generator, so
 * each replicate's words for a block are found by jumping its state, and every replicate still adds
 * its chunk sums in chunk order (the same numbers as one pass per replicate).
 */
export function signFlipMonteCarloFast(D: ArrayLike<number>, threshold: number, B: number, seed: number): number {
  const m = D.length;
  const chunks = Math.ceil(m / 8);
  const tables = new Float64Array(chunks * 256);
  for (let c = 0; c < chunks; c++) {
    const k = Math.min(8, m - 8 * c);
    const sub = signedSubsetSums(D, 8 * c, k);
    for (let mask = 0; mask < 256; mask++) tables[c * 256 + mask] = sub[mask & ((1 << k) - 1)];
  }
  const wordsPerReplicate = Math.ceil(chunks / 4);
  const totals = new Float64Array(B);
  for (let c0 = 0; c0 < chunks; c0 += FAST_BLOCK_CHUNKS) {
    const c1 = Math.min(chunks, c0 + FAST_BLOCK_CHUNKS);
    for (let b = 0; b < B; b++) {
      // mulberry32 state before word w of the stream is seed + w * 0x6D2B79F5 (mod 2^32).
      let a = (seed + Math.imul(b * wordsPerReplicate + (c0 >> 2), 0x6d2b79f5)) | 0;
      let t = totals[b];
      let u = 0;
      for (let c = c0; c < c1; c++) {
        if ((c & 3) === 0) {
          a = (a + 0x6d2b79f5) | 0;
          let x = Math.imul(a ^ (a >>> 15), 1 | a);
          x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
          u = (x ^ (x >>> 14)) >>> 0;
        }
        t += tables[(c << 8) | ((u >>> ((c & 3) << 3)) & 255)];
      }
      totals[b] = t;
    }
  }
  let count = 0;
  for (let b = 0; b < B; b++) if (Math.abs(totals[b]) >= threshold) count++;
  return count;
}

/** Paired sign-flip test on the differences d in canonical order (spec 5.2). */
export function signFlipTest(d: ArrayLike<number>, options: SignFlipOptions = {}): SignFlipResult {
  const B = options.B ?? 10000;
  const seed = (options.seed ?? 2024) >>> 0;
  const exactMax = options.exactMax ?? 20;
  let m = 0;
  let firstAbs = 0;
  let sumAbs = 0;
  let tObs = 0;
  let nPos = 0;
  let allEqualAbs = true;
  for (let i = 0; i < d.length; i++) {
    const x = d[i];
    sumAbs += Math.abs(x);
    if (x !== 0) {
      if (m === 0) firstAbs = Math.abs(x);
      else if (Math.abs(x) !== firstAbs) allEqualAbs = false;
      m++;
      tObs += x;
      if (x > 0) nPos++;
    }
  }
  tObs = Math.abs(tObs);
  const tolT = 1e-9 * sumAbs;
  const threshold = tObs - tolT;
  const base = { mNonzero: m, countExtreme: null, B: null, seed: null, path: null, warnings: [] as WarningCode[] };
  if (m === 0) return { ...base, method: "exact_enumeration", p: 1 };
  const exactAllowed = !options.forceMonteCarlo;
  // The closed form needs only the counts; the nonzero differences D are gathered when used.
  if (exactAllowed && m > exactMax && allEqualAbs) return { ...base, method: "exact_binomial", p: binomialTwoSidedHalfP(nPos, m) };
  const D = new Float64Array(m);
  for (let i = 0, k = 0; i < d.length; i++) if (d[i] !== 0) D[k++] = d[i];
  if (exactAllowed && m <= exactMax) {
    return { ...base, method: "exact_enumeration", p: exactSignFlipCount(D, threshold) / 2 ** m };
  }
  const path = chooseSignFlipPath(m, B, options.path);
  const count =
    path === "reference" ? signFlipMonteCarloReference(D, threshold, B, seed) : signFlipMonteCarloFast(D, threshold, B, seed);
  return {
    ...base,
    method: "monte_carlo",
    p: (1 + count) / (B + 1),
    countExtreme: count,
    B,
    seed,
    path,
    warnings: rngIsLong(B, path === "reference" ? m : Math.ceil(m / 32)) ? ["RNG_LONG"] : [],
  };
}
