/** The compare page's one DuckDB query: the text search over a run's text table. Values are parameters. */
import type { Sql } from "./sql";

const TEXT_FIELDS = ["prompt", "response", "extracted", "target"];

/**
 * Records of one run whose prompt, response, extracted answer or target contains `search`
 * (case-insensitive substring), from its text table (SEARCH_COLUMNS by row).
 */
export function matchingRowsSql(textTable: string, search: string): Sql {
  const needle = search.trim().toLowerCase();
  if (needle === "") throw new Error("a text search needs something to search for");
  return { sql: `SELECT row FROM ${textTable} WHERE ${TEXT_FIELDS.map((f) => `contains(lower(${f}), ?)`).join(" OR ")}`, params: TEXT_FIELDS.map(() => needle) };
}
