import { describe, expect, it } from "vitest";
import { alignedRows, countInScope, PAIRINGS, type RunColumns } from "./columns";

const run = (rows: [string, string | null, string, number, string | null, number | null][]): RunColumns => ({
  task: rows.map((r) => r[0]),
  subtask: rows.map((r) => r[1]),
  instance_id: rows.map((r) => r[2]),
  sample: rows.map((r) => r[3]),
  instance_hash: rows.map((r) => `h-${r[2]}`),
  cluster_id: rows.map((r) => r[4]),
  score: rows.map((r) => r[5]),
});

describe("alignedRows", () => {
  it("rebuilds alignSql's rows: keys coalesce A then B, clusters and scores stay per run", () => {
    const a = run([["t", null, "q1", 0, "c1", 1], ["t", "s", "q2", 0, "c2", 0]]);
    const b = run([["t", "s", "q1", 0, "c9", 0], ["t", "s", "q3", 1, null, null]]);
    const rows = alignedRows({
      a,
      b,
      rowA: Int32Array.from([0, 1, -1]),
      rowB: Int32Array.from([0, -1, 1]),
      pairing: Uint8Array.from([PAIRINGS.indexOf("shared"), PAIRINGS.indexOf("only_a"), PAIRINGS.indexOf("only_b")]),
      acrossTasks: null,
    });
    expect(rows).toEqual([
      { task: "t", subtask: "s", instance_id: "q1", sample: 0, cluster_a: "c1", cluster_b: "c9", score_a: 1, score_b: 0, pairing: "shared" },
      { task: "t", subtask: "s", instance_id: "q2", sample: 0, cluster_a: "c2", cluster_b: null, score_a: 0, score_b: null, pairing: "only_a" },
      { task: "t", subtask: "s", instance_id: "q3", sample: 1, cluster_a: null, cluster_b: null, score_a: null, score_b: null, pairing: "only_b" },
    ]);
  });
});

describe("countInScope", () => {
  it("counts the aligned records of a task or a subtask, from either run", () => {
    const a = run([["t", "s1", "q1", 0, null, 1], ["t", "s2", "q2", 0, null, 0], ["u", null, "q9", 0, null, 1]]);
    const b = run([["t", "s1", "q1", 0, null, 0], ["t", "s1", "q3", 0, null, 1]]);
    const columns = { a, b, rowA: Int32Array.from([0, 1, -1, 2]), rowB: Int32Array.from([0, -1, 1, -1]), pairing: new Uint8Array(4), acrossTasks: null };
    expect(countInScope(columns, { task: null, subtask: null })).toBe(4);
    expect(countInScope(columns, { task: "t", subtask: null })).toBe(3);
    expect(countInScope(columns, { task: "t", subtask: "s1" })).toBe(2);
    expect(countInScope(columns, { task: "u", subtask: "s1" })).toBe(0);
  });
});
