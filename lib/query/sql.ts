/** All SQL of the question list. Values always travel as prepared-statement parameters. */

export type ScoreFilter = "any" | "full" | "zero" | "partial" | "unscored";
export type ErrorFilter = "any" | "errors" | "no-errors";
export const SORT_KEYS = ["row", "instance_id", "subtask", "sample", "score", "error", "input_tokens", "output_tokens", "latency_ms"] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface QuestionQuery {
  score: ScoreFilter;
  /** null: every subtask; "" selects rows without a subtask. */
  subtask: string | null;
  error: ErrorFilter;
  search: string;
  sort: { key: SortKey; desc: boolean };
}

export const DEFAULT_QUERY: QuestionQuery = { score: "any", subtask: null, error: "any", search: "", sort: { key: "row", desc: false } };

export interface Sql {
  sql: string;
  params: (string | number)[];
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

const SCORE_CONDITIONS: Record<ScoreFilter, string | null> = {
  any: null,
  full: "score >= 1",
  zero: "score <= 0",
  partial: "score > 0 AND score < 1",
  unscored: "score IS NULL",
};

const ERROR_CONDITIONS: Record<ErrorFilter, string | null> = {
  any: null,
  errors: "error IS NOT NULL",
  "no-errors": "error IS NULL",
};

/** True when the query is the file's own order with nothing filtered: no engine needed to answer it. */
export function isFileOrder(query: QuestionQuery): boolean {
  return (
    query.score === "any" && query.subtask === null && query.error === "any" && query.search.trim() === "" && query.sort.key === "row" && !query.sort.desc
  );
}

/**
 * WHERE clause over the index table; `textTable` (SEARCH_COLUMNS by row) is needed only when
 * the query searches text.
 */
function whereClause(query: QuestionQuery, textTable: string | null): Sql {
  const conditions: string[] = [];
  const params: (string | number)[] = [];
  const score = SCORE_CONDITIONS[query.score];
  if (score) conditions.push(score);
  const error = ERROR_CONDITIONS[query.error];
  if (error) conditions.push(error);
  if (query.subtask !== null) {
    conditions.push("coalesce(subtask, '') = ?");
    params.push(query.subtask);
  }
  const needle = query.search.trim().toLowerCase();
  if (needle !== "") {
    if (!textTable) throw new Error("text search needs the text table loaded");
    // plain case-insensitive substring match: no LIKE wildcards to escape
    const textFields = ["prompt", "response", "extracted", "target"];
    const inText = textFields.map((f) => `contains(lower(t.${f}), ?)`).join(" OR ");
    conditions.push(
      `(contains(lower(instance_id), ?) OR contains(lower(error), ?) OR row IN (SELECT t.row FROM ${textTable} t WHERE ${inText}))`,
    );
    params.push(needle, needle, ...textFields.map(() => needle));
  }
  return { sql: conditions.length ? `WHERE ${conditions.join(" AND ")}` : "", params };
}

/** Rows matching the query, in display order; ties keep the file's order. */
export function questionRowsSql(indexTable: string, textTable: string | null, query: QuestionQuery): Sql {
  const where = whereClause(query, textTable);
  const direction = query.sort.desc ? "DESC" : "ASC";
  // DuckDB has no natural collation: ids come back in file order and are put in natural order
  // (19 before 180) by the caller, with lib/sort/natural
  const order = query.sort.key === "row" ? `row ${direction}` : query.sort.key === "instance_id" ? "row ASC" : `${quoteIdent(query.sort.key)} ${direction} NULLS LAST, row`;
  return { sql: `SELECT row FROM ${indexTable} ${where.sql} ORDER BY ${order}`, params: where.params };
}

/** Count, mean score and errors of the rows matching the query. */
export function questionSummarySql(indexTable: string, textTable: string | null, query: QuestionQuery): Sql {
  const where = whereClause(query, textTable);
  return {
    sql: `SELECT count(*) AS n, avg(score) AS mean_score, count(score) AS scored, count(error) AS errors FROM ${indexTable} ${where.sql}`,
    params: where.params,
  };
}

/** The subtasks of a run with their question counts, for the subtask filter. */
export function subtasksSql(indexTable: string): Sql {
  return { sql: `SELECT coalesce(subtask, '') AS subtask, count(*) AS n FROM ${indexTable} GROUP BY 1 ORDER BY 1`, params: [] };
}
