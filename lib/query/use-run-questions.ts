import { useEffect, useMemo, useState } from "react";
import type { AsyncDuckDB } from "@duckdb/duckdb-wasm";
import { concatBatches, INDEX_COLUMNS, readColumns, SEARCH_COLUMNS, type CellValue, type ColumnBatch } from "./columns";
import { getDuckDB } from "./duckdb";
import { runSql } from "./engine";
import { loadRunTable, type RunTable } from "./load-run";
import { openRecordsFile, type RecordsFile, type RunSource } from "./records-file";
import { DEFAULT_QUERY, isFileOrder, questionRowsSql, questionSummarySql, subtasksSql, type QuestionQuery } from "./sql";
import type { RecordColumn } from "@/lib/schema";
import { naturalRanks, orderByRank } from "@/lib/sort/natural";

/**
 * How far loading got. "preview": the first row group is on screen (read straight from Parquet
 * while the rest loads); "indexed": every row is listed in file order; "ready": DuckDB holds the
 * index columns, so sorting and filtering work.
 */
export type LoadPhase = "opening" | "preview" | "indexed" | "ready" | "error";

export interface QuestionSummary {
  n: number;
  meanScore: number | null;
  scored: number;
  errors: number;
}

export interface RunQuestions {
  phase: LoadPhase;
  error: string | null;
  /** Rows in the run's records. */
  total: number;
  /** Rows matching the query, and the physical row shown at each position. */
  count: number;
  rowAt: (position: number) => number;
  cell: (row: number, column: (typeof INDEX_COLUMNS)[number]) => CellValue;
  summary: QuestionSummary | null;
  subtasks: { subtask: string; n: number }[];
  /** True while a query (or the text it searches) is being computed; the previous rows stay shown. */
  pending: boolean;
  /** True while the text columns are being loaded for the first search. */
  loadingText: boolean;
  /** Every row's index columns, once all are read (for the per-subtask scores); null before. */
  allRows: ColumnBatch | null;
}

const identityRow = (position: number) => position;

/**
 * The question list of one run: first rows from the server's preview or the first row group,
 * every row once read, then filter/sort/search in DuckDB.
 */
export function useRunQuestions(source: RunSource, query: QuestionQuery, serverPreview: ColumnBatch | null = null): RunQuestions {
  const { records, batch, complete, error: readError } = useIndexColumns(source, serverPreview);
  const { engine, error: engineError } = useIndexEngine(records, complete ? batch : null);
  const needsText = query.search.trim() !== "";
  const { textTable, error: textError } = useSearchText(engine?.db ?? null, records, needsText);
  const { result, pending, error: queryError } = useQueryResult(engine, needsText ? textTable : null, query, needsText && !textTable);
  const overview = useOverview(engine);

  const error = readError ?? engineError ?? textError ?? queryError ?? null;
  const phase: LoadPhase = error ? "error" : engine ? "ready" : complete ? "indexed" : batch ? "preview" : "opening";
  const wantsQuery = !isFileOrder(query);
  const fileOrder = !wantsQuery || !result;
  const loadingText = needsText && !textTable && !error;

  return useMemo(() => {
    const cell = (row: number, column: RecordColumn) => {
      if (!batch || row < batch.rowStart || row >= batch.rowStart + batch.length) return null;
      return batch.columns[column]?.[row - batch.rowStart] ?? null;
    };
    return {
      phase,
      error,
      total: records?.rows ?? source.rows ?? batch?.length ?? 0,
      count: fileOrder ? (batch?.length ?? 0) : result.rows.length,
      rowAt: fileOrder ? identityRow : (position: number) => result.rows[position],
      cell,
      summary: fileOrder ? overview.summary : result.summary,
      subtasks: overview.subtasks,
      pending: (wantsQuery && (pending || !result)) || loadingText,
      loadingText,
      allRows: complete ? batch : null,
    };
  }, [phase, error, records, source.rows, batch, complete, fileOrder, wantsQuery, result, overview, pending, loadingText]);
}

interface IndexState {
  key: string;
  runId: string;
  records: RecordsFile | null;
  batch: ColumnBatch | null;
  complete: boolean;
  error: string | null;
}

/** Reads the index columns: the first row group first (so rows paint at once), then every row. */
function useIndexColumns(source: RunSource, serverPreview: ColumnBatch | null): IndexState {
  const { runId, byteLength, version, live, urls } = source;
  const key = JSON.stringify([runId, byteLength, version, live, urls?.records]);
  const [state, setState] = useState<IndexState>({ key, runId, records: null, batch: serverPreview, complete: false, error: null });
  useEffect(() => {
    let cancelled = false;
    (async () => {
      const records = await openRecordsFile({ runId, byteLength, version, live, urls });
      const firstGroupEnd = records.rowGroupStarts[1] ?? 0;
      // both reads start now, the first group's requests queued first: it paints the first rows
      const previewRead = readColumns(records, INDEX_COLUMNS, { rowStart: 0, rowEnd: firstGroupEnd });
      const rest = readColumns(records, INDEX_COLUMNS, { rowStart: firstGroupEnd, rowEnd: records.rows });
      rest.catch(() => {}); // reported through the await below, or moot if the preview failed
      const preview = await previewRead;
      performance.mark("evalbench:first-group-read");
      // a running run's snapshot comes whole in one request: its first group alone would only
      // shrink the list shown for a moment
      if (!cancelled && !live && firstGroupEnd < records.rows) setState({ key, runId, records, batch: preview, complete: false, error: null });
      const batch = concatBatches(preview, await rest);
      performance.mark("evalbench:index-read");
      if (!cancelled) setState({ key, runId, records, batch, complete: true, error: null });
    })().catch((error: unknown) => {
      if (!cancelled) setState({ key, runId, records: null, batch: null, complete: false, error: (error as Error).message });
    });
    return () => {
      cancelled = true;
    };
  }, [key, runId, byteLength, version, live, urls]);
  // state left from another run is not shown while the new one opens; a new snapshot of the same
  // running run is read behind the old one, so the list does not blank at every update
  if (state.key === key || (state.runId === runId && state.batch && !state.error)) return state;
  return { key, runId, records: null, batch: serverPreview, complete: false, error: null };
}

interface Engine {
  db: AsyncDuckDB;
  index: RunTable;
}

/** Starts DuckDB at once (it takes the longest) and loads the index columns into it when read. */
function useIndexEngine(records: RecordsFile | null, batch: ColumnBatch | null) {
  const [state, setState] = useState<{ engine: Engine | null; error: string | null }>({ engine: null, error: null });
  useEffect(() => {
    getDuckDB().catch(() => {}); // warm up in parallel with the Parquet reads; errors surface below
  }, []);
  useEffect(() => {
    if (!records || !batch) return;
    let cancelled = false;
    (async () => {
      const db = await getDuckDB();
      const index = await loadRunTable(db, records, INDEX_COLUMNS, "index", batch);
      performance.mark("evalbench:index-in-duckdb");
      if (!cancelled) setState({ engine: { db, index }, error: null });
    })().catch((error: unknown) => {
      if (!cancelled) setState({ engine: null, error: (error as Error).message });
    });
    return () => {
      cancelled = true;
    };
  }, [records, batch]);
  return state;
}

/** Loads the text columns into DuckDB the first time the user searches. */
function useSearchText(db: AsyncDuckDB | null, records: RecordsFile | null, needed: boolean) {
  const [state, setState] = useState<{ textTable: string | null; error: string | null }>({ textTable: null, error: null });
  const wanted = needed && db !== null && records !== null;
  useEffect(() => {
    if (!wanted || !db || !records) return;
    let cancelled = false;
    loadRunTable(db, records, SEARCH_COLUMNS, "text").then(
      (text) => !cancelled && setState({ textTable: text.table, error: null }),
      (error: unknown) => !cancelled && setState({ textTable: null, error: (error as Error).message }),
    );
    return () => {
      cancelled = true;
    };
  }, [wanted, db, records]);
  return state;
}

/** Natural ranks of a run's ids, computed the first time its list is sorted by id. */
const idRanks = new WeakMap<ColumnBatch, Int32Array>();

/** Rows sorted by id come from DuckDB in file order (see questionRowsSql): ordered naturally here. */
function naturalOrder(rows: Int32Array, batch: ColumnBatch, query: QuestionQuery): Int32Array {
  if (query.sort.key !== "instance_id") return rows;
  let ranks = idRanks.get(batch);
  if (!ranks) idRanks.set(batch, (ranks = naturalRanks(batch.columns.instance_id ?? [])));
  return orderByRank(rows, ranks, query.sort.desc);
}

interface QueryResult {
  rows: Int32Array;
  summary: QuestionSummary;
}

function toSummary(row: Record<string, unknown> | undefined): QuestionSummary {
  return {
    n: Number(row?.n ?? 0),
    meanScore: row?.mean_score == null ? null : Number(row.mean_score),
    scored: Number(row?.scored ?? 0),
    errors: Number(row?.errors ?? 0),
  };
}

/** Runs a filtered or sorted query in DuckDB; the last result stays shown until the next one arrives. */
function useQueryResult(engine: Engine | null, textTable: string | null, query: QuestionQuery, waiting: boolean) {
  const [state, setState] = useState<{ key: string; result: QueryResult | null; error: string | null }>({ key: "", result: null, error: null });
  // the row count tells a running run's new snapshot (same table name) from the last one
  const key = JSON.stringify([engine?.index.table ?? null, engine?.index.batch.length ?? 0, textTable, query]);
  const runnable = engine !== null && !waiting && !isFileOrder(query);
  useEffect(() => {
    if (!runnable || !engine) return;
    let cancelled = false;
    const parsed = (JSON.parse(key) as [string, number, string | null, QuestionQuery])[3];
    const table = engine.index.table;
    Promise.all([runSql(engine.db, questionRowsSql(table, textTable, parsed)), runSql(engine.db, questionSummarySql(table, textTable, parsed))]).then(
      ([rows, summary]) => {
        if (cancelled) return;
        const ordered = naturalOrder(rows.getChild("row")?.toArray() as Int32Array, engine.index.batch, parsed);
        const result = { rows: ordered, summary: toSummary(summary.toArray()[0]?.toJSON()) };
        setState({ key, result, error: null });
      },
      (error: unknown) => !cancelled && setState({ key, result: null, error: `query failed: ${(error as Error).message}` }),
    );
    return () => {
      cancelled = true;
    };
  }, [runnable, engine, textTable, key]);
  return { result: state.result, pending: runnable && state.key !== key, error: state.key === key ? state.error : null };
}

/** What the filters offer and the unfiltered totals: subtasks with counts, and the run's summary. */
function useOverview(engine: Engine | null) {
  const [overview, setOverview] = useState<{ subtasks: { subtask: string; n: number }[]; summary: QuestionSummary | null }>({
    subtasks: [],
    summary: null,
  });
  useEffect(() => {
    if (!engine) return;
    let cancelled = false;
    const table = engine.index.table;
    Promise.all([runSql(engine.db, subtasksSql(table)), runSql(engine.db, questionSummarySql(table, null, DEFAULT_QUERY))]).then(
      ([subtasks, summary]) => {
        if (cancelled) return;
        setOverview({
          subtasks: subtasks.toArray().map((r) => ({ subtask: String(r.subtask), n: Number(r.n) })),
          summary: toSummary(summary.toArray()[0]?.toJSON()),
        });
      },
      () => {}, // the overview is a convenience; the list itself reports query errors
    );
    return () => {
      cancelled = true;
    };
  }, [engine]);
  return overview;
}
