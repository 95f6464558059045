import { describe, expect, it } from "vitest";
import { matchingRowsSql } from "./compare-sql";

describe("compare search SQL", () => {
  it("passes the search as parameters, never as SQL text, lower-cased and trimmed", () => {
    const { sql, params } = matchingRowsSql('"xa"', " Fo'o ");
    expect(sql).not.toContain("Fo'o");
    expect(sql).toContain('FROM "xa"');
    expect(params).toEqual(["fo'o", "fo'o", "fo'o", "fo'o"]);
  });

  it("needs something to search for", () => {
    expect(() => matchingRowsSql('"xa"', "  ")).toThrow(/something to search/);
  });
});
