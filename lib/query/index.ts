export { INDEX_COLUMNS, SEARCH_COLUMNS, readColumns, type CellValue, type ColumnBatch } from "./columns";
export { getDuckDB } from "./duckdb";
export { runSql } from "./engine";
export { loadRunTable, runTableName, type RunTable } from "./load-run";
export { openRecordsFile, recordsUrl, RecordsReadError, type RecordsFile, type RunSource } from "./records-file";
export { catalogRows, compareUrl, matchesFilter, type BrokenRun, type RunRow } from "./runs";
export { DEFAULT_QUERY, type ErrorFilter, type QuestionQuery, type ScoreFilter, type SortKey } from "./sql";
export { useQuestionDetail, type QuestionDetail } from "./use-question-detail";
export { useRunQuestions, type LoadPhase, type QuestionSummary, type RunQuestions } from "./use-run-questions";
