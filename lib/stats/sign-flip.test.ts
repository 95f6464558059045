import { describe, expect, it } from "vitest";
import { chooseSignFlipPath, exactSignFlipCount, signFlipMonteCarloFast, signFlipMonteCarloReference, signFlipTest } from "./sign-flip";
import { mulberry32, mulberry32Uint32 } from "./rng";

function bruteForceP(D: number[]): number {
  const m = D.length;
  const tObs = Math.abs(D.reduce((s, x) => s + x, 0));
  const tol = 1e-9 * D.reduce((s, x) => s + Math.abs(x), 0);
  let c = 0;
  for (let mask = 0; mask < 1 << m; mask++) {
    let t = 0;
    for (let i = 0; i < m; i++) t += mask & (1 << i) ? -D[i] : D[i];
    if (Math.abs(t) >= tObs - tol) c++;
  }
  return c / 2 ** m;
}

describe("sign-flip test (spec 5.2)", () => {
  it("meet-in-the-middle enumeration equals brute force", () => {
    const r = mulberry32(9);
    for (const m of [1, 2, 5, 9, 14]) {
      const D = Array.from({ length: m }, () => Math.round((r() - 0.4) * 100) / 10 || 0.1);
      expect(signFlipTest(D).p).toBe(bruteForceP(D));
    }
  });
  it("zeros are dropped; m = 0 gives p = 1; p >= 2^-m", () => {
    expect(signFlipTest([0, 0, 0]).p).toBe(1);
    const r = signFlipTest([0, 0.3, 0, 0.3, 0.3]);
    expect(r.mNonzero).toBe(3);
    expect(r.p).toBe(2 / 8);
  });
  it("closed form equals exact enumeration when every |D_i| is equal", () => {
    const D = [1, 1, -1, 1, 1, 1, -1, 1, 1, 1, 1, 1, -1, 1, 1, 1, 1, 1];
    expect(signFlipTest(D, { exactMax: 0 }).method).toBe("exact_binomial");
    expect(signFlipTest(D, { exactMax: 0 }).p).toBeCloseTo(signFlipTest(D).p, 14);
  });
  it("exact enumeration up to m = 20 (timed in bench/stats.ts, never here)", () => {
    const r = mulberry32(1);
    const D = Array.from({ length: 20 }, () => r() - 0.45);
    const res = signFlipTest(D);
    expect(res.method).toBe("exact_enumeration");
    expect(exactSignFlipCount(D, 0)).toBe(2 ** 20);
  });
  it("Monte Carlo: +1 rule, reference and fast loops agree within Monte Carlo error", () => {
    const r = mulberry32(2);
    const D = Array.from({ length: 300 }, () => r() - 0.47);
    const tObs = Math.abs(D.reduce((s, x) => s + x, 0));
    const ref = signFlipMonteCarloReference(D, tObs, 20000, 1) / 20000;
    const fast = signFlipMonteCarloFast(D, tObs, 20000, 1) / 20000;
    expect(Math.abs(ref - fast)).toBeLessThan(4 * Math.sqrt((2 * ref * (1 - ref)) / 20000) + 1e-3);
    const res = signFlipTest(D, { B: 999, path: "reference" });
    expect(res.method).toBe("monte_carlo");
    expect(res.p).toBe((1 + res.countExtreme!) / 1000);
  });
  it("fast loop, walked in blocks of chunks, equals one pass per replicate over the same word stream", () => {
    // Oracle: replicate b takes its words in stream order; word w gives the signs of chunks 4w..4w+3.
    const onePass = (D: number[], threshold: number, B: number, seed: number) => {
      const next = mulberry32Uint32(seed);
      let count = 0;
      for (let b = 0; b < B; b++) {
        let t = 0;
        let u = 0;
        for (let i = 0; i < D.length; i++) {
          if (i % 32 === 0) u = next();
          t += (u >>> i % 32) & 1 ? D[i] * -1 : D[i];
        }
        if (Math.abs(t) >= threshold) count++;
      }
      return count;
    };
    const r = mulberry32(7);
    for (const m of [5, 33, 1024, 3001]) {
      const D = Array.from({ length: m }, () => Math.round((r() - 0.45) * 8) / 8 || 0.5);
      // Thresholds around the null SD of T*, so the counts land well inside (0, B).
      const sdT = Math.sqrt(D.reduce((s, x) => s + x * x, 0));
      for (const threshold of [0.5 * sdT, sdT, 2 * sdT]) {
        const want = onePass(D, threshold, 300, 99);
        expect(want).toBeGreaterThan(5);
        expect(signFlipMonteCarloFast(D, threshold, 300, 99)).toBe(want);
      }
    }
  });
  it("path choice is explicit", () => {
    expect(chooseSignFlipPath(100, 10000)).toBe("reference");
    expect(chooseSignFlipPath(100000, 10000)).toBe("fast");
    expect(chooseSignFlipPath(100000, 10000, "reference")).toBe("reference");
  });
});
