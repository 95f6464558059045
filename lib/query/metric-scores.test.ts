import { describe, expect, it } from "vitest";
import { metricScores } from "./metric-scores";

describe("metricScores", () => {
  it("takes numbers and numeric text, and leaves everything else unscored", () => {
    const scores = [
      JSON.stringify({ f1: 0.25 }),
      JSON.stringify({ f1: "0.5" }),
      JSON.stringify({ f1: true }),
      JSON.stringify({ other: 1 }),
      JSON.stringify({ f1: null }),
      "not json",
      null,
    ];
    expect(metricScores(scores, "f1")).toEqual([0.25, 0.5, null, null, null, null, null]);
  });
});
