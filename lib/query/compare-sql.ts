/** The SQL of the compare page's question table, over the aligned table. Values are parameters. */
import { alignSql } from "@/lib/compare/sql";
import type { Sql } from "./sql";

export type TwoByTwoCell = "both_right" | "only_a" | "only_b" | "both_wrong";
export type PairingFilter = "all" | "shared" | "mismatch" | "only_a" | "only_b";
export type CompareSort = "difference" | "task" | "instance_id" | "score_a" | "score_b";

export interface CompareQuery {
  task: string | null;
  subtask: string | null;
  cell: TwoByTwoCell | null;
  pairing: PairingFilter;
  search: string;
  sort: CompareSort;
  desc: boolean;
}

/**
 * The aligned table: alignSql() over the two runs' tables, each row numbered (`pos`) in
 * alignSql's order and carrying the records' `row` in each run, plus the difference A - B.
 */
export function createAlignedSql(aligned: string, runA: string, runB: string): string {
  return `CREATE OR REPLACE TABLE ${aligned} AS
SELECT (row_number() OVER (ORDER BY task, instance_id, sample) - 1)::INTEGER AS pos, *, score_a - score_b AS diff
FROM (${alignSql(runA, runB, ["row"])})`;
}

/** Positions and record rows of the aligned table, in pos order. */
export const alignedIndexSql = (aligned: string) =>
  `SELECT coalesce(row_a, -1)::INTEGER AS row_a, coalesce(row_b, -1)::INTEGER AS row_b, pairing FROM ${aligned} ORDER BY pos`;

const CELLS: Record<TwoByTwoCell, string> = {
  both_right: "score_a = 1 AND score_b = 1",
  only_a: "score_a = 1 AND score_b = 0",
  only_b: "score_a = 0 AND score_b = 1",
  both_wrong: "score_a = 0 AND score_b = 0",
};

const SORTS: Record<CompareSort, string> = {
  difference: "diff",
  task: "task",
  instance_id: "instance_id",
  score_a: "score_a",
  score_b: "score_b",
};

const TEXT_FIELDS = ["prompt", "response", "extracted", "target"];

/**
 * Positions of the rows the table shows, in display order; ties keep the aligned order. Text
 * search (case-insensitive substring) needs both runs' text tables (SEARCH_COLUMNS by row).
 */
export function compareRowsSql(aligned: string, text: { a: string; b: string } | null, query: CompareQuery): Sql {
  const conditions: string[] = [];
  const params: (string | number)[] = [];
  if (query.task !== null) {
    conditions.push("task = ?");
    params.push(query.task);
  }
  if (query.subtask !== null) {
    conditions.push("subtask = ?");
    params.push(query.subtask);
  }
  if (query.cell !== null) conditions.push(`pairing = 'shared' AND ${CELLS[query.cell]}`);
  if (query.pairing !== "all") {
    conditions.push("pairing = ?");
    params.push(query.pairing);
  }
  const needle = query.search.trim().toLowerCase();
  if (needle !== "") {
    if (!text) throw new Error("text search needs both runs' text tables loaded");
    const inText = TEXT_FIELDS.map((f) => `contains(lower(t.${f}), ?)`).join(" OR ");
    conditions.push(
      `(contains(lower(instance_id), ?) OR row_a IN (SELECT t.row FROM ${text.a} t WHERE ${inText}) OR row_b IN (SELECT t.row FROM ${text.b} t WHERE ${inText}))`,
    );
    params.push(needle, ...TEXT_FIELDS.map(() => needle), ...TEXT_FIELDS.map(() => needle));
  }
  const where = conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
  return { sql: `SELECT pos FROM ${aligned} ${where} ORDER BY ${SORTS[query.sort]} ${query.desc ? "DESC" : "ASC"} NULLS LAST, pos`, params };
}
