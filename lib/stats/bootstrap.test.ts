import { describe, expect, it } from "vitest";
import { meanAcceleration } from "./bca";
import { BINNED_MIN_N, chooseBootstrapPath, pairedBootstrap, pairedBootstrapWarnings, questionBootstrapReplicates } from "./bootstrap";
import { normalQuantile, Z975 } from "./normal";
import { mulberry32 } from "./rng";

describe("paired bootstrap (spec 6, 7.3)", () => {
  it("the inlined reference loop is the spec 7.3 loop bit for bit", () => {
    const r = mulberry32(4);
    const d = Array.from({ length: 37 }, () => r() - 0.5);
    const next = mulberry32(99);
    const want = Array.from({ length: 300 }, () => {
      let acc = 0;
      for (let k = 0; k < d.length; k++) acc += d[Math.floor(next() * d.length)];
      return acc / d.length;
    });
    expect(Array.from(questionBootstrapReplicates(d, 300, 99))).toEqual(want);
  });
  it("n < 2 has no bootstrap; all-zero d gives [0, 0] intervals", () => {
    expect(pairedBootstrap([0.5])).toBeNull();
    const z = pairedBootstrap(Array(20).fill(0), { B: 500 })!;
    expect(z.percentileCi).toEqual([0, 0]);
    expect(z.bcaCi).toEqual([0, 0]);
    expect(z.z0).toBe(0);
  });
  it("path choice is explicit: reference for small inputs, fast for large discrete or large continuous d", () => {
    const bin = Array.from({ length: 5000 }, (_, i) => (i % 3) - 1);
    const cont = Array.from({ length: BINNED_MIN_N }, (_, i) => Math.sin(i));
    expect(chooseBootstrapPath(bin.slice(0, 500), 10000)).toEqual({ path: "reference", resampler: "spec-7.3" });
    expect(chooseBootstrapPath(bin, 10000)).toEqual({ path: "fast", resampler: "multinomial" });
    expect(chooseBootstrapPath(cont, 10000)).toEqual({ path: "fast", resampler: "binned-normal" });
    expect(chooseBootstrapPath(cont.slice(0, 5000), 10000)).toEqual({ path: "reference", resampler: "spec-7.3" });
    expect(chooseBootstrapPath(bin, 10000, "reference").path).toBe("reference");
  });
  for (const [label, make] of [
    ["binary (multinomial)", (r: () => number) => +(r() < 0.7) - +(r() < 0.6)],
    ["skewed continuous (binned-normal)", (r: () => number) => -Math.log(1 - r()) * 0.3 - 0.25],
  ] as const) {
    it(`fast path agrees with the reference within Monte Carlo error: ${label}`, () => {
      const r = mulberry32(8);
      const d = Array.from({ length: 20000 }, () => make(r));
      const ref = pairedBootstrap(d, { B: 4000, path: "reference", seed: 1 })!;
      const fast = pairedBootstrap(d, { B: 4000, path: "fast", seed: 2 })!;
      expect(fast.path).toBe("fast");
      const se = ref.seIdeal!;
      expect(Math.abs(fast.se / se - 1)).toBeLessThan(0.06);
      expect(Math.abs(ref.se / se - 1)).toBeLessThan(0.06);
      for (const k of [0, 1]) {
        expect(Math.abs(fast.percentileCi[k] - ref.percentileCi[k])).toBeLessThan(0.2 * se);
        expect(Math.abs(fast.bcaCi[k] - ref.bcaCi[k])).toBeLessThan(0.25 * se);
      }
      expect(fast.acceleration).toBe(ref.acceleration);
    });
  }
  it("warnings without the replicate array are the whole bootstrap's, degenerate BCa included", () => {
    const cases: number[][] = [
      [1, 0, 0, 1, -1, 0, 1, 0, 0, 1, 0, -1],
      [0.5, -0.25, 0, 0.75, 0.1, -0.3, 0.2],
      [3, 3, 3, 3],
      [0, 1],
      // one question differs among 40: |acc| is too large to rule degenerate BCa out, so the whole bootstrap runs
      [...Array(39).fill(0), 1],
    ];
    const outlier = cases[4];
    expect(Math.abs(meanAcceleration(outlier, 1 / 40)) * (normalQuantile(1 - 1 / 4000) + Z975 + 1)).toBeGreaterThan(1);
    const seen = new Set<string>();
    for (const d of cases) {
      for (const B of [1, 2, 3, 50, 2000]) {
        for (const seed of [1, 3, 8, 2024]) {
          const whole = pairedBootstrap(d, { B, seed, path: "reference" })!.warnings;
          expect(pairedBootstrapWarnings(d, { B, seed, path: "reference" }), `d = ${d}, B = ${B}, seed = ${seed}`).toEqual(whole);
          seen.add(whole.join());
        }
      }
    }
    expect([...seen].sort()).toEqual(["", "BCA_DEGENERATE"]);
    expect(pairedBootstrapWarnings([1, 0, 0, 1], { B: 2 ** 30, path: "reference" })).toEqual(["RNG_LONG"]);
  });
});
