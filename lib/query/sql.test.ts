import { describe, expect, it } from "vitest";
import { DEFAULT_QUERY, isFileOrder, questionRowsSql, questionSummarySql, quoteIdent } from "./sql";

describe("question SQL", () => {
  it("passes user input as parameters, never inside the SQL text", () => {
    const evil = "x'); DROP TABLE t; --";
    const sql = questionRowsSql('"idx"', '"txt"', { ...DEFAULT_QUERY, subtask: evil, search: evil });
    expect(sql.sql).not.toContain("DROP");
    expect(sql.params).toContain(evil);
    expect(sql.params).toContain(evil.toLowerCase());
  });

  it("orders by the sort key with nulls last and the file order as tie-break", () => {
    const { sql } = questionRowsSql('"idx"', null, { ...DEFAULT_QUERY, sort: { key: "latency_ms", desc: true } });
    expect(sql).toContain('ORDER BY "latency_ms" DESC NULLS LAST, row');
  });

  it("leaves ids in file order for the natural sort done outside DuckDB", () => {
    const { sql } = questionRowsSql('"idx"', null, { ...DEFAULT_QUERY, sort: { key: "instance_id", desc: true } });
    expect(sql).toMatch(/ORDER BY row ASC$/);
  });

  it("filters by score, error and subtask together", () => {
    const { sql, params } = questionSummarySql('"idx"', null, { ...DEFAULT_QUERY, score: "zero", error: "no-errors", subtask: "" });
    expect(sql).toContain("WHERE score <= 0 AND error IS NULL AND coalesce(subtask, '') = ?");
    expect(params).toEqual([""]);
  });

  it("needs the text table to search", () => {
    expect(() => questionRowsSql('"idx"', null, { ...DEFAULT_QUERY, search: "x" })).toThrow(/text table/);
  });

  it("knows when the file order answers the query without an engine", () => {
    expect(isFileOrder(DEFAULT_QUERY)).toBe(true);
    expect(isFileOrder({ ...DEFAULT_QUERY, search: "  " })).toBe(true);
    expect(isFileOrder({ ...DEFAULT_QUERY, sort: { key: "row", desc: true } })).toBe(false);
    expect(isFileOrder({ ...DEFAULT_QUERY, subtask: "" })).toBe(false);
  });

  it("quotes identifiers", () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
  });
});
