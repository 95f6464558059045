/**
 * Seeded mulberry32 generator (spec 7.1, [MUL]). Only Math.imul and 32-bit operators, so every JS
 * engine (Node, browser workers) yields the same bits. Never use Math.random (spec 7.2).
 */

/** Raw mulberry32 stream of uint32 values (spec 7.1); `next()/2^32` is the float stream. */
export function mulberry32Uint32(seed: number): () => number {
  let a = seed >>> 0;
  return function nextUint32(): number {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** mulberry32 exactly as in spec 7.1: floats in [0, 1) on a 2^-32 grid. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return function next(): number {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Index draw j = floor(next() * n) (spec 7.2; exact for n < 2^21). */
export function drawIndex(next: () => number, n: number): number {
  return Math.floor(next() * n);
}

/** Period guard (spec 7.1): true when B * n > 2^31, i.e. `RNG_LONG` must be warned. */
export function rngIsLong(B: number, n: number): boolean {
  return B * n > 2 ** 31;
}
