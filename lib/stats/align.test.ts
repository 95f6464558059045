import { describe, expect, it } from "vitest";
import { alignRuns, cleanPair, cleanRun } from "./align";
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
    const [A, B] = cleanPair(
      [
        { questionId: "b", score: 1 },
        { questionId: "a", score: 0.5 },
        { questionId: "Z", score: 0 },
        { questionId: "c", score: NaN },
        { questionId: "d", score: 1 },
      ],
      [
        { questionId: "d", score: 0 },
        { questionId: "a", score: 1 },
        { questionId: "c", score: 1 },
        { questionId: "Z", score: null },
        { questionId: "e", score: 1 },
      ]
    );
    expect(A.ids).toEqual(["Z", "a", "b", "c", "d"]); // "Z" < "a" in UTF-16, unlike localeCompare
    expect(Array.from(A.scores)).toEqual([0, 0.5, 1, 1]);
    expect(A.nUnscored).toBe(1);
    const al = alignRuns(A, B);
    expect(al.n).toBe(2);
    expect(Array.from(al.a)).toEqual([0.5, 1]);
    expect(Array.from(al.b)).toEqual([1, 0]);
    expect(Array.from(al.d)).toEqual([-0.5, 1]);
    expect(al.nOnlyA).toBe(2);
    expect(al.nOnlyB).toBe(2);
  });
  it("clusters of Q: A's id, else B's, in canonical cluster order; questions without one are singletons", () => {
    const [A, B] = cleanPair(
      [
        { questionId: "q1", score: 1, clusterId: "zeta" },
        { questionId: "q2", score: 1 },
        { questionId: "q3", score: 0, clusterId: "alpha" },
        { questionId: "q4", score: 0 },
        { questionId: "q5", score: 1, clusterId: "zeta" },
      ],
      [
        { questionId: "q5", score: 0 },
        { questionId: "q4", score: 1 },
        { questionId: "q3", score: 1 },
        { questionId: "q2", score: 0, clusterId: "mid" },
        { questionId: "q1", score: 0, clusterId: "zeta" },
      ]
    );
    const { clusters } = alignRuns(A, B);
    expect(clusters!.ids).toEqual(["alpha", "mid", "zeta", null]);
    expect(Array.from(clusters!.of)).toEqual([2, 1, 0, 3, 2]);
  });
  it("disagreeing cluster ids are an error even when the question is unscored in one run", () => {
    const [A, B] = cleanPair([{ questionId: "q1", score: null, clusterId: "x" }], [{ questionId: "q1", score: 1, clusterId: "y" }]);
    expect(() => alignRuns(A, B)).toThrow(/"q1".*"x".*"y"/);
  });
  it("refuses runs cleaned with different cluster dictionaries (their codes would not compare)", () => {
    const run = [{ questionId: "q1", score: 1, clusterId: "x" }];
    expect(() => alignRuns(cleanRun(run), cleanRun(run))).toThrow(/same ClusterDictionary/);
  });
});
