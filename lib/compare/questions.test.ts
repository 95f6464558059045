import { describe, expect, it } from "vitest";
import { StatsInputError, compareRuns } from "@/lib/stats";
import { questionSets } from "./questions";
import type { AlignedRow } from "./sql";

const row = (instance_id: string, sample: number, a: number | null, b: number | null, extra: Partial<AlignedRow> = {}): AlignedRow => ({
  task: "t",
  subtask: null,
  instance_id,
  sample,
  cluster_a: `c-${instance_id}`,
  cluster_b: `c-${instance_id}`,
  score_a: a,
  score_b: b,
  pairing: "shared",
  ...extra,
});

describe("questionSets", () => {
  it("averages each run's scored samples of a question, in key order", () => {
    const sets = questionSets([row("q1", 0, 1, 0), row("q1", 1, null, 1), row("q1", 2, 0, 1), row("q2", 0, 1, null), row("q3", 0, 1, null, { pairing: "only_a", cluster_b: null })]);
    expect(sets.a).toEqual([
      { questionId: "t/q1", score: 0.5, clusterId: "c-q1" },
      { questionId: "t/q2", score: 1, clusterId: "c-q2" },
      { questionId: "t/q3", score: 1, clusterId: "c-q3" },
    ]);
    expect(sets.b).toEqual([
      { questionId: "t/q1", score: 2 / 3, clusterId: "c-q1" },
      { questionId: "t/q2", score: null, clusterId: "c-q2" },
    ]);
    expect(sets).toMatchObject({ onlyA: 1, onlyB: 0, inBoth: 2, mismatched: [] });
  });

  it("leaves a question out of both runs when any of its samples is a mismatch", () => {
    const sets = questionSets([row("q1", 0, 1, 1), row("q1", 1, 1, 0, { pairing: "mismatch" }), row("q2", 0, 0, 1)]);
    expect(sets.mismatched).toEqual(["t/q1"]);
    expect(sets.a.map((q) => q.questionId)).toEqual(["t/q2"]);
  });

  it("never merges a question's rows that are not adjacent: lib/stats rejects the repeated id", () => {
    const sets = questionSets([row("q1", 0, 1, 1), row("q2", 0, 0, 1), row("q1", 1, 0, 0)]);
    expect(sets.a.map((q) => q.questionId)).toEqual(["t/q1", "t/q2", "t/q1"]);
    expect(() => compareRuns(sets.a, sets.b)).toThrow(StatsInputError);
  });
});
