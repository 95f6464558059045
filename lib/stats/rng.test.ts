import { describe, expect, it } from "vitest";
import { mulberry32, mulberry32Uint32, rngIsLong } from "./rng";

/** The generator exactly as printed in spec 7.1. */
function specMulberry32(seed: number) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("mulberry32 (spec 7.1)", () => {
  it("matches the spec's code and the uint32 stream for several seeds", () => {
    for (const seed of [0, 1, 42, 2024, 4294967295]) {
      const a = mulberry32(seed);
      const b = specMulberry32(seed);
      const u = mulberry32Uint32(seed);
      for (let i = 0; i < 1000; i++) {
        const x = a();
        expect(x).toBe(b());
        expect(x).toBe(u() / 4294967296);
        expect(x >= 0 && x < 1).toBe(true);
      }
    }
  });
  it("RNG_LONG guard at B * n > 2^31", () => {
    expect(rngIsLong(10000, 100000)).toBe(false);
    expect(rngIsLong(10000, 300000)).toBe(true);
  });
});
