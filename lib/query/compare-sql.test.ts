import { describe, expect, it } from "vitest";
import { compareRowsSql, createAlignedSql, type CompareQuery } from "./compare-sql";

const query: CompareQuery = { task: null, subtask: null, cell: null, pairing: "all", search: "", sort: "difference", desc: true };

describe("compare SQL", () => {
  it("numbers the aligned rows and carries each run's record row", () => {
    const sql = createAlignedSql('"al"', '"ta"', '"tb"');
    expect(sql).toContain("a.row AS row_a");
    expect(sql).toContain("b.row AS row_b");
    expect(sql).toContain("score_a - score_b AS diff");
  });

  it("sorts by difference, largest first, by default", () => {
    expect(compareRowsSql('"al"', null, query)).toEqual({ sql: 'SELECT pos FROM "al"  ORDER BY diff DESC NULLS LAST, pos', params: [] });
  });

  it("passes scope and search as parameters, never as SQL text", () => {
    const { sql, params } = compareRowsSql('"al"', { a: '"xa"', b: '"xb"' }, { ...query, task: "t'x", subtask: "s", cell: "only_a", search: " Foo " });
    expect(sql).not.toContain("t'x");
    expect(sql).toContain("pairing = 'shared' AND score_a = 1 AND score_b = 0");
    expect(params.slice(0, 3)).toEqual(["t'x", "s", "foo"]);
    expect(params).toHaveLength(3 + 8);
  });

  it("needs the text tables to search", () => {
    expect(() => compareRowsSql('"al"', null, { ...query, search: "x" })).toThrow(/text tables/);
  });
});
