import { describe, expect, it } from "vitest";
import { mcnemar, mcnemarFromCounts } from "./mcnemar";
import { signFlipTest } from "./sign-flip";

const choose = (m: number, k: number): number => (k === 0 ? 1 : (choose(m, k - 1) * (m - k + 1)) / k);

describe("McNemar (spec 5.1)", () => {
  it("counts the four cells of the paired 0/1 table", () => {
    const r = mcnemar([1, 1, 0, 0, 1, 1], [1, 0, 1, 0, 0, 1])!;
    expect([r.bothCorrect, r.onlyA, r.onlyB, r.bothWrong, r.nDiscordant]).toEqual([2, 2, 1, 1, 3]);
  });
  it("exact p by direct binomial sums for small m", () => {
    for (const [b, c] of [[4, 1], [0, 7], [10, 10], [3, 12], [1, 0]]) {
      const m = b + c;
      let s = 0;
      for (let k = 0; k <= Math.min(b, c); k++) s += choose(m, k);
      const want = Math.min(1, (2 * s) / 2 ** m);
      expect(mcnemarFromCounts(0, b, c, 0).pExact).toBeCloseTo(want, 12);
    }
  });
  it("m = 0: p = 1 and chi2 = 0 in all forms", () => {
    const r = mcnemarFromCounts(5, 0, 0, 5);
    expect([r.pExact, r.chi2, r.pChi2, r.chi2Cc, r.pChi2Cc]).toEqual([1, 0, 1, 0, 1]);
  });
  it("equals the closed-form sign-flip p for 0/1 scores (m > 20)", () => {
    const a = [...Array(30).fill(1), ...Array(9).fill(0), 1, 1];
    const b = [...Array(30).fill(0), ...Array(9).fill(1), 1, 0];
    const mc = mcnemar(a, b)!;
    const sf = signFlipTest(a.map((x, i) => x - b[i]));
    expect(sf.method).toBe("exact_binomial");
    expect(sf.p).toBe(mc.pExact);
    let s = 0;
    for (let k = 0; k <= 9; k++) s += choose(40, k); // b = 31, c = 9
    expect(mc.pExact).toBeCloseTo((2 * s) / 2 ** 40, 14);
  });
  it("non-binary input is null (never binarized)", () => {
    expect(mcnemar([1, 0.5], [0, 1])).toBeNull();
    expect(mcnemar([1, 0], [0, 2])).toBeNull();
  });
});
