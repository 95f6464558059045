import { describe, expect, it } from "vitest";
import { histogram } from "./histogram";

describe("histogram", () => {
  it("counts every finite value once, the maximum in the last bin", () => {
    const bins = histogram([-1, -0.5, 0, 0, 0.5, 1, NaN], 4);
    expect(bins.map((b) => b.count)).toEqual([1, 1, 2, 2]);
    expect(bins[0].lo).toBe(-1);
    expect(bins[3].hi).toBe(1);
  });

  it("draws one bar for identical values and nothing for none", () => {
    expect(histogram([0.2, 0.2])).toEqual([{ lo: 0.2, hi: 0.2, count: 2 }]);
    expect(histogram([])).toEqual([]);
  });
});
