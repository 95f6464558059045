/**
 * mulberry32(seed)'s uint32 stream kept in memory between calls. Every bootstrap of a comparison
 * starts a fresh generator with the same seed (spec 7.2): the question bootstrap of each task and
 * subtask and each cluster bootstrap consume the same draws, only cut into replicates of another
 * size. Generated once, they are read back in the same order (spec 7.3), which is about three times
 * faster than generating them in every loop, and gives the same bits.
 *
 * Only the last seed's stream is kept, at most STREAM_KEPT_MAX draws (64 MB); windows past that
 * are generated on demand into a scratch buffer.
 */

export const STREAM_KEPT_MAX = 2 ** 24;
const STEP = 0x6d2b79f5;

let kept: { seed: number; draws: Uint32Array } | null = null;

/** Draws [start, start + into.length) of mulberry32(seed) written into `into` (spec 7.1). */
function generate(seed: number, start: number, into: Uint32Array): void {
  // mulberry32 is a counter generator: its state before draw k is seed + k * STEP (mod 2^32)
  let a = (seed + Math.imul(start, STEP)) | 0;
  for (let k = 0; k < into.length; k++) {
    a = (a + STEP) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    into[k] = (t ^ (t >>> 14)) >>> 0;
  }
}

/**
 * The kept stream of `seed`, grown to at least `length` draws, or doubled up to `wanted` (the most
 * the caller's loop will read; both <= STREAM_KEPT_MAX), so window after window it is copied only
 * a few times.
 */
function keptDraws(seed: number, length: number, wanted: number): Uint32Array {
  if (kept?.seed === seed && kept.draws.length >= length) return kept.draws;
  const old = kept?.seed === seed ? kept.draws : new Uint32Array(0);
  const draws = new Uint32Array(Math.max(length, Math.min(2 * old.length, wanted)));
  draws.set(old);
  generate(seed, old.length, draws.subarray(old.length));
  kept = { seed, draws };
  return draws;
}

/**
 * Replicate windows of mulberry32(seed), for `count` replicates that each take `size` draws in
 * turn: after `at(b)`, replicate b's draws [b * size, (b + 1) * size) of the stream are
 * `draws[start]` to `draws[start + size - 1]` (no view allocated per replicate: a loop asks for
 * 10,000 of them). The kept stream grows as windows are asked for, so a loop that stops early
 * generates no more than it reads.
 */
export class DrawWindows {
  draws: Uint32Array;
  start = 0;
  private readonly seed: number;
  private readonly kept: boolean;

  constructor(
    seed: number,
    private readonly size: number,
    private readonly count: number,
  ) {
    this.seed = seed >>> 0;
    this.kept = size * count <= STREAM_KEPT_MAX;
    this.draws = this.kept ? new Uint32Array(0) : new Uint32Array(size);
  }

  at(b: number): void {
    if (this.kept) {
      this.draws = keptDraws(this.seed, (b + 1) * this.size, this.size * this.count);
      this.start = b * this.size;
    } else generate(this.seed, b * this.size, this.draws);
  }
}
