import { describe, expect, it } from "vitest";
import { subtaskScores } from "./subtask-scores";

const Z = 1.959963984540054;

describe("subtaskScores", () => {
  it("gives each subtask its mean over questions, samples averaged, with SE and 95% CI; unscored questions are left out", () => {
    const rows: [string | null, string, number | null][] = [
      ["s10", "a", 1],
      ["s2", "b", 1],
      ["s2", "c", 0],
      ["s2", "c", 1], // a second sample of c: c scores 0.5
      ["s2", "d", null], // unscored (errored): not in n
      ["s10", "e", 0],
      [null, "f", 1],
    ];
    const batch = {
      rowStart: 0,
      length: rows.length,
      columns: { subtask: rows.map((r) => r[0]), instance_id: rows.map((r) => r[1]), score: rows.map((r) => r[2]) },
    };
    const scores = subtaskScores(batch, "exact_match");
    // natural order, the subtask-less records first
    expect(scores.map((s) => s.subtask)).toEqual(["", "s2", "s10"]);
    const s2 = scores[1].metric;
    expect(s2.n).toBe(2);
    expect(s2.value).toBeCloseTo(0.75, 12);
    // sd of [1, 0.5] is sqrt(0.125); SE = sd / sqrt(2) = 0.25
    expect(s2.se).toBeCloseTo(0.25, 12);
    expect(s2.ci![0]).toBeCloseTo(0.75 - Z * 0.25, 9);
    expect(s2.ci![1]).toBeCloseTo(0.75 + Z * 0.25, 9);
    expect(scores[2].metric).toMatchObject({ n: 2, value: 0.5 });
  });
});
