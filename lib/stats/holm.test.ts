import { describe, expect, it } from "vitest";
import { holm, holmByKey } from "./holm";

describe("Holm step-down adjustment", () => {
  it("matches the textbook example and keeps input order", () => {
    // p = 0.01, 0.04, 0.03, 0.005 -> sorted 0.005*4, 0.01*3, 0.03*2, 0.04*1 with running max.
    const adj = holm([0.01, 0.04, 0.03, 0.005]);
    expect(adj[3]).toBeCloseTo(0.02, 15);
    expect(adj[0]).toBeCloseTo(0.03, 15);
    expect(adj[2]).toBeCloseTo(0.06, 15);
    expect(adj[1]).toBeCloseTo(0.06, 15); // running max: 0.04 * 1 < 0.06
  });
  it("caps at 1, passes nulls through and excludes them from m", () => {
    expect(holm([0.6, null, 0.5])).toEqual([1, null, 1]);
    expect(holm([0.02, null])).toEqual([0.02, null]);
    expect(holmByKey({ math: 0.01, code: 0.2 })).toEqual({ math: 0.02, code: 0.2 });
  });
  it("rejects invalid p-values", () => {
    expect(() => holm([1.5])).toThrow(/position 0/);
  });
});
