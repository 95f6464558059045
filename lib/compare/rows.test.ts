import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { questionPositions, type CompareQuery, type CompareSort, type TwoByTwoCell } from "./rows";
import type { AlignedRow, Pairing } from "./sql";

const PAIRINGS: Pairing[] = ["shared", "shared", "shared", "mismatch", "only_a", "only_b"];
const SCORES = [0, 1, 1, 0, null, 0.5, Number.NaN, 2];
const IDS = ["q1", "Q2", "q10", "\u{1F600}x", "\uE000y", "é", "foo-bar"];

/** Aligned rows in alignSql's order, with each run's record row (-1: absent); ties and unknown scores on purpose. */
function fixture() {
  const rows: AlignedRow[] = [];
  const rowA: number[] = [];
  const rowB: number[] = [];
  let k = 0;
  for (const task of ["b", "a\u{1F600}", "a\uE000"].sort()) {
    for (const id of IDS) {
      const pairing = PAIRINGS[k % PAIRINGS.length];
      rows.push({
        task,
        subtask: k % 3 === 0 ? null : `s${k % 2}`,
        instance_id: id,
        sample: 0,
        cluster_a: null,
        cluster_b: null,
        score_a: pairing === "only_b" ? null : SCORES[k % SCORES.length],
        score_b: pairing === "only_a" ? null : SCORES[(k * 3) % SCORES.length],
        pairing,
      });
      rowA.push(pairing === "only_b" ? -1 : k);
      rowB.push(pairing === "only_a" ? -1 : 100 + k);
      k++;
    }
  }
  return { rows, rowA: Int32Array.from(rowA), rowB: Int32Array.from(rowB) };
}

const literal = (v: string | number | null) =>
  v === null ? "NULL" : typeof v === "number" ? (Number.isNaN(v) ? "'NaN'::DOUBLE" : `${v}::DOUBLE`) : `'${v.replaceAll("'", "''")}'`;

const CELL_SQL: Record<TwoByTwoCell, string> = {
  both_right: "score_a = 1 AND score_b = 1",
  only_a: "score_a = 1 AND score_b = 0",
  only_b: "score_a = 0 AND score_b = 1",
  both_wrong: "score_a = 0 AND score_b = 0",
};
const SORT_SQL: Record<CompareSort, string> = { difference: "diff", task: "task", instance_id: "instance_id", score_a: "score_a", score_b: "score_b" };

describe("questionPositions", () => {
  it("filters and sorts as SQL does in DuckDB: unknowns last, NaN above numbers, text by bytes, ties in aligned order", async () => {
    const { rows, rowA, rowB } = fixture();
    const matchA = new Uint8Array(200);
    const matchB = new Uint8Array(200);
    matchA[4] = 1;
    matchB[100 + 9] = 1;
    const db = await DuckDBInstance.create(":memory:");
    const conn = await db.connect();
    try {
      await conn.run("CREATE TABLE al (pos INTEGER, task VARCHAR, subtask VARCHAR, instance_id VARCHAR, score_a DOUBLE, score_b DOUBLE, pairing VARCHAR, row_a INTEGER, row_b INTEGER)");
      const values = rows.map((r, i) => `(${[i, r.task, r.subtask, r.instance_id, r.score_a, r.score_b, r.pairing, rowA[i] < 0 ? null : rowA[i], rowB[i] < 0 ? null : rowB[i]].map(literal).join(", ")})`);
      await conn.run(`INSERT INTO al VALUES ${values.join(", ")}`);
      const queries: CompareQuery[] = [];
      const base: CompareQuery = { task: null, subtask: null, cell: null, pairing: "all", search: "", sort: "difference", desc: true };
      for (const sort of Object.keys(SORT_SQL) as CompareSort[]) for (const desc of [true, false]) queries.push({ ...base, sort, desc });
      for (const cell of Object.keys(CELL_SQL) as TwoByTwoCell[]) queries.push({ ...base, cell });
      for (const pairing of ["shared", "mismatch", "only_a", "only_b"] as const) queries.push({ ...base, pairing, sort: "score_b", desc: false });
      queries.push({ ...base, task: "b" }, { ...base, task: "b", subtask: "s1" }, { ...base, search: " Q1 " }, { ...base, search: "zz" }, { ...base, search: "é", sort: "instance_id" });
      for (const query of queries) {
        const where: string[] = [];
        if (query.task !== null) where.push(`task = ${literal(query.task)}`);
        if (query.subtask !== null) where.push(`subtask = ${literal(query.subtask)}`);
        if (query.cell !== null) where.push(`pairing = 'shared' AND ${CELL_SQL[query.cell]}`);
        if (query.pairing !== "all") where.push(`pairing = ${literal(query.pairing)}`);
        const needle = query.search.trim().toLowerCase();
        if (needle) where.push(`(contains(lower(instance_id), ${literal(needle)}) OR row_a = 4 OR row_b = 109)`);
        const sql = `SELECT pos FROM (SELECT *, score_a - score_b AS diff FROM al) ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
          ORDER BY ${SORT_SQL[query.sort]} ${query.desc ? "DESC" : "ASC"} NULLS LAST, pos`;
        const expected = (await conn.runAndReadAll(sql)).getRowObjectsJS().map((r) => r.pos);
        expect(Array.from(questionPositions(rows, rowA, rowB, query, needle ? { a: matchA, b: matchB } : null)), JSON.stringify(query)).toEqual(expected);
      }
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  });

  it("needs the text matches to search", () => {
    const { rows, rowA, rowB } = fixture();
    const query: CompareQuery = { task: null, subtask: null, cell: null, pairing: "all", search: "x", sort: "difference", desc: true };
    expect(() => questionPositions(rows, rowA, rowB, query, null)).toThrow(/matching records/);
  });
});
