import { describe, expect, it } from "vitest";
import { kendallTau } from "./kendall";

describe("Kendall's tau-b", () => {
  it("one swapped pair of four: tau = (5 - 1)/6, exact p = 2 / 3! (scipy: 0.6667, 0.3333)", () => {
    const r = kendallTau([1, 2, 3, 4], [1, 3, 2, 4]);
    expect(r.tau).toBeCloseTo(4 / 6, 15);
    expect(r.p).toBeCloseTo(1 / 3, 15);
    expect(r.method).toBe("exact");
  });
  it("a perfectly rising series of five: tau = 1, exact p = 2 / 5! = 0.01667", () => {
    const r = kendallTau([10, 20, 30, 40, 50], [0.1, 0.2, 0.25, 0.3, 0.31]);
    expect(r.tau).toBe(1);
    expect(r.p).toBeCloseTo(2 / 120, 15);
  });
  it("falling series give negative tau with the same p", () => {
    const r = kendallTau([1, 2, 3, 4, 5], [5, 4, 3, 2, 1]);
    expect(r.tau).toBe(-1);
    expect(r.p).toBeCloseTo(2 / 120, 15);
  });
  it("exact p from the inversion counts: n = 5 with 2 discordant pairs is 2 * (1 + 4 + 9) / 120", () => {
    // permutations of 5 with 0, 1, 2 inversions: 1, 4, 9 (Mahonian numbers)
    const r = kendallTau([1, 2, 3, 4, 5], [2, 1, 3, 5, 4]);
    expect(r.tau).toBeCloseTo((8 - 2) / 10, 15);
    expect(r.p).toBeCloseTo((2 * 14) / 120, 15);
  });
  it("ties in y: tau-b and the tie-corrected normal approximation, computed by hand", () => {
    // x = 1..5, y = 1,2,2,3,4: C = 9, D = 0, one tied pair in y.
    // tau_b = 9 / sqrt(10 * 9) = 0.9486832980505138
    // var = (5*4*15 - 2*1*9)/18 + 0 + 0 = (300 - 18)/18 = 15.666..., z = 9 / sqrt(15.666...) = 2.2738
    const r = kendallTau([1, 2, 3, 4, 5], [1, 2, 2, 3, 4]);
    expect(r.tau).toBeCloseTo(9 / Math.sqrt(90), 15);
    expect(r.method).toBe("asymptotic");
    // p = erfc(z / sqrt 2) = 0.0229774015 (scipy.stats.kendalltau: 0.022977401503206065)
    expect(r.p).toBeCloseTo(0.0229774015, 7);
  });
  it("ties in both samples: every term of the variance, against scipy", () => {
    // x = 1,1,2,3,3,3,4 and y = 2,1,1,3,4,4,5: C - D = 14; tied pairs: x 1 + 3 = 4, y 1 + 1 = 2; n0 = 21
    // tau_b = 14 / sqrt(17 * 19); x1 = 2*1*9 + 3*2*11 = 84, y1 = 18 + 18 = 36, x0 = 6, y0 = 0, m = 42:
    // var = (42*19 - 84 - 36)/18 + 2*4*2/42 + 6*0/(9*42*5) = 38.047619; z = 14 / sqrt(var) = 2.269678; p = erfc(z / sqrt 2)
    // scipy.stats.kendalltau: tau 0.7789808377045201, p 0.02322711280209663
    const r = kendallTau([1, 1, 2, 3, 3, 3, 4], [2, 1, 1, 3, 4, 4, 5]);
    expect(r.tau).toBeCloseTo(14 / Math.sqrt(17 * 19), 15);
    expect(r.method).toBe("asymptotic");
    expect(r.p).toBeCloseTo(0.02322711280209663, 7);
  });
  it("is undefined for a constant sample or fewer than two points", () => {
    expect(kendallTau([1, 2, 3], [0.5, 0.5, 0.5]).tau).toBeNull();
    expect(kendallTau([1], [1]).p).toBeNull();
  });
});
