import { describe, expect, it } from "vitest";
import { exp, log } from "./det-math";
import { mulberry32 } from "./rng";

/** Distance in units in the last place. */
function ulps(a: number, b: number): number {
  if (a === b) return 0;
  const v = new DataView(new ArrayBuffer(16));
  v.setFloat64(0, a);
  v.setFloat64(8, b);
  return Math.abs(Number(v.getBigInt64(0) - v.getBigInt64(8)));
}

describe("deterministic exp/log (fdlibm ports)", () => {
  it("agree with Math.exp / Math.log within 1 ulp over a wide range", () => {
    const r = mulberry32(5);
    let worst = 0;
    for (let i = 0; i < 100000; i++) {
      const x = (r() - 0.5) * 1400;
      worst = Math.max(worst, ulps(exp(x), Math.exp(x)));
      const y = Math.exp((r() - 0.5) * 1400) * (1 + r());
      worst = Math.max(worst, ulps(log(y), Math.log(y)));
    }
    expect(worst).toBeLessThanOrEqual(1);
  });
  it("special values", () => {
    expect(exp(0)).toBe(1);
    expect(log(1)).toBe(0);
    expect(log(0)).toBe(-Infinity);
    expect(log(-1)).toBeNaN();
    expect(exp(1000)).toBe(Infinity);
    expect(exp(-1000)).toBe(0);
    expect(log(Math.E)).toBeCloseTo(1, 15);
    expect(log(5e-324)).toBeCloseTo(-744.4400719213812, 12);
    expect(ulps(exp(-740), Math.exp(-740))).toBeLessThanOrEqual(1);
  });
});
