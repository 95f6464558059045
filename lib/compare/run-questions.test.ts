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

/** A run from [task, id, sample, hash, score] rows; subtask and cluster cells left undefined, as a column a file lacks reads. */
function handRun(rows: [string, string, number, string | undefined, number | null | undefined][]): RunColumns {
  const sparse = () => new Array<null>(rows.length);
  return {
    task: rows.map((r) => r[0]),
    instance_id: rows.map((r) => r[1]),
    sample: rows.map((r) => r[2]),
    instance_hash: rows.map((r) => r[3] as string),
    score: rows.map((r) => r[4] as number),
    subtask: sparse(),
    cluster_id: sparse(),
  };
}

describe("runQuestions + pairQuestions on hand-made runs", () => {
  it("fold samples per question whatever the record order, with missing cells as null", () => {
    // the first question has two samples; records out of key order; an unscored sample
    const folded = runQuestions(handRun([["t", "q2", 0, "h2", 1], ["t", "q1", 1, "h1", 0], ["t", "q1", 0, undefined, 1], ["t", "q3", 0, "h3", undefined]]));
    expect(folded.ids).toEqual(["t/q1", "t/q2", "t/q3"]);
    expect(folded.score).toEqual([0.5, 1, null]);
    expect(folded.subtask).toEqual([null, null, null]);
    expect(folded.cluster).toEqual([null, null, null]);
    // q1's hash is that of its first sample in key order (sample 0), which has none
    expect(folded.hash).toEqual([null, "h2", "h3"]);
  });

  it("the same id under two tasks is two questions", () => {
    expect(runQuestions(handRun([["a", "q1", 0, "h", 1], ["b", "q1", 0, "h", 0]])).ids).toEqual(["a/q1", "b/q1"]);
  });

  it("an empty run has no questions and no scores", () => {
    const folded = runQuestions(handRun([]));
    expect(folded).toEqual({ task: [], instanceId: [], subtask: [], score: [], hash: [], cluster: [], ids: [], records: [] });
  });

  it("runs of the same length with different questions or hashes are merged, not taken as the same", () => {
    const a = handRun([["t", "q1", 0, "h1", 1], ["t", "q2", 0, "h2", 1]]);
    const otherIds = handRun([["t", "q1", 0, "h1", 0], ["t", "q3", 0, "h3", 0]]);
    const otherHash = handRun([["t", "q1", 0, "h1", 0], ["t", "q2", 0, "changed", 0]]);
    // the shortcut must compare ids and hashes each: same hashes under other ids, other hashes under the same ids
    const otherIdsSameHashes = handRun([["t", "q1", 0, "h1", 0], ["t", "q3", 0, "h2", 0]]);
    const noIdInCommon = handRun([["t", "q3", 0, "h1", 0], ["t", "q4", 0, "h2", 0]]);
    const everyHashChanged = handRun([["t", "q1", 0, "x1", 0], ["t", "q2", 0, "x2", 0]]);
    for (const b of [otherIds, otherHash, otherIdsSameHashes, noIdInCommon, everyHashChanged]) expect(pairQuestions(runQuestions(a), runQuestions(b))).toEqual(questionSets(alignedRows(alignColumns(a, b))));
    expect(pairQuestions(runQuestions(a), runQuestions(otherIds))).toMatchObject({ onlyA: 1, onlyB: 1, inBoth: 1, mismatched: [] });
    expect(pairQuestions(runQuestions(a), runQuestions(otherHash))).toMatchObject({ onlyA: 0, onlyB: 0, inBoth: 1, mismatched: ["t/q2"] });
    expect(pairQuestions(runQuestions(a), runQuestions(otherIdsSameHashes))).toMatchObject({ onlyA: 1, onlyB: 1, inBoth: 1 });
    expect(pairQuestions(runQuestions(a), runQuestions(noIdInCommon))).toMatchObject({ onlyA: 2, onlyB: 2, inBoth: 0 });
    expect(pairQuestions(runQuestions(a), runQuestions(everyHashChanged))).toMatchObject({ inBoth: 0, mismatched: ["t/q1", "t/q2"] });
  });

  it("questions after the other run's last one count as only in their run", () => {
    const a = handRun([["t", "q1", 0, "h1", 1], ["t", "q2", 0, "h2", 1], ["t", "q4", 0, "h4", 1]]);
    const b = handRun([["t", "q1", 0, "h1", 0]]);
    expect(pairQuestions(runQuestions(a), runQuestions(b))).toMatchObject({ onlyA: 2, onlyB: 0, inBoth: 1 });
    expect(pairQuestions(runQuestions(b), runQuestions(a))).toMatchObject({ onlyA: 0, onlyB: 2, inBoth: 1 });
    expect(pairQuestions(runQuestions(b), runQuestions(a))).toEqual(questionSets(alignedRows(alignColumns(b, a))));
  });
});
