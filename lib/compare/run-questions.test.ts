import { describe, expect, it } from "vitest";
import { mulberry32 } from "@/lib/stats/rng";
import { alignColumns } from "./align";
import { alignedRows, type RunColumns } from "./columns";
import { questionSets } from "./questions";
import { pairQuestions, runQuestions } from "./run-questions";

/** A run of random questions: some in one run only, a few with a changed hash, repeated samples, unscored samples, clusters. */
function randomRun(seed: number, other: boolean): RunColumns {
  const rand = mulberry32(seed);
  const run = { task: [], subtask: [], instance_id: [], sample: [], instance_hash: [], cluster_id: [], score: [] } as Record<keyof RunColumns, (string | number | null)[]>;
  for (let q = 0; q < 300; q++) {
    if (rand() < 0.1) continue; // absent from this run
    const task = q % 3 === 0 ? "t\u00e9" : q % 3 === 1 ? "t" : "T\u{1F600}";
    const samples = q % 5 === 0 ? 3 : 1;
    for (let s = samples - 1; s >= 0; s--) {
      run.task.push(task);
      run.subtask.push(null);
      run.instance_id.push(`q${q}`);
      run.sample.push(s);
      run.instance_hash.push(other && q % 37 === 0 ? `changed${q}` : `h${q}`);
      run.cluster_id.push(q % 4 === 0 ? null : `c${Math.floor(q / 7)}`);
      run.score.push(rand() < 0.1 ? null : q % 2 === 0 ? Number(rand() < 0.6) : rand());
    }
  }
  return run;
}

describe("runQuestions + pairQuestions", () => {
  it("line two runs up exactly as questionSets does on their aligned records", () => {
    for (const seed of [1, 2, 3]) {
      const a = randomRun(seed, false);
      const b = randomRun(seed + 100, true);
      const expected = questionSets(alignedRows(alignColumns(a, b)));
      const actual = pairQuestions(runQuestions(a), runQuestions(b));
      expect(actual).toEqual(expected);
      expect(actual.mismatched.length).toBeGreaterThan(0);
      expect(actual.onlyA + actual.onlyB).toBeGreaterThan(0);
    }
  });
  it("runs with the same questions take the shortcut, with the same result", () => {
    const a = randomRun(7, false);
    const b = { ...a, score: a.score.map((s) => (s === null ? null : 1 - Number(s))) };
    expect(pairQuestions(runQuestions(a), runQuestions(b))).toEqual(questionSets(alignedRows(alignColumns(a, b))));
  });
});
