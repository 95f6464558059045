import { describe, expect, it } from "vitest";
import { alignRuns, cleanRun } from "./align";
import { StatsInputError } from "./warnings";
import { comparePaired, summarizeRun } from "./index";

describe("validation (spec 1.1): errors name the offending id", () => {
  it("duplicate question id", () => {
    const run = [
      { questionId: "b", score: 1 },
      { questionId: "a", score: 0 },
      { questionId: "b", score: null },
    ];
    expect(() => cleanRun(run)).toThrow(StatsInputError);
    expect(() => cleanRun(run)).toThrow(/duplicate questionId "b"/);
    try {
      cleanRun(run);
    } catch (e) {
      expect((e as StatsInputError).code).toBe("DUPLICATE_ID");
      expect((e as StatsInputError).questionId).toBe("b");
    }
  });
  it("non-numeric scores", () => {
    expect(() => summarizeRun([{ questionId: "q7", score: "0.5" as unknown as number }])).toThrow(/"q7"/);
    expect(() => summarizeRun([{ questionId: "q8", score: undefined as unknown as number }])).toThrow(/"q8"/);
  });
  it("clusters that disagree between runs", () => {
    const a = [{ questionId: "q1", score: 1, clusterId: "x" }];
    const b = [{ questionId: "q1", score: 0, clusterId: "y" }];
    expect(() => comparePaired(a, b)).toThrow(/"q1".*"x".*"y"/);
    // One side without a cluster id is fine: the other side's id is used.
    expect(() => comparePaired(a, [{ questionId: "q1", score: 0 }])).not.toThrow();
  });
});

describe("alignment (spec 3.1)", () => {
  it("pairs scored questions only, in canonical (code unit) order, and counts the rest", () => {
    const A = cleanRun([
      { questionId: "b", score: 1 },
      { questionId: "a", score: 0.5 },
      { questionId: "Z", score: 0 },
      { questionId: "c", score: NaN },
      { questionId: "d", score: 1 },
    ]);
    const B = cleanRun([
      { questionId: "d", score: 0 },
      { questionId: "a", score: 1 },
      { questionId: "c", score: 1 },
      { questionId: "Z", score: null },
      { questionId: "e", score: 1 },
    ]);
    expect(A.ids).toEqual(["Z", "a", "b", "d"]); // "Z" < "a" in UTF-16, unlike localeCompare
    expect(A.nUnscored).toBe(1);
    const al = alignRuns(A, B);
    expect(al.ids).toEqual(["a", "d"]);
    expect(al.a).toEqual([0.5, 1]);
    expect(al.b).toEqual([1, 0]);
    expect(al.nOnlyA).toBe(2);
    expect(al.nOnlyB).toBe(2);
  });
});
