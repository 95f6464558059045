import { useEffect, useRef, useState } from "react";
import type { AsyncDuckDB } from "@duckdb/duckdb-wasm";
import { PAIRINGS, type AlignedColumns, type RunColumns } from "@/lib/compare/columns";
import type { HistogramBin } from "@/lib/compare/histogram";
import type { Scope } from "@/lib/compare/questions";
import type { CompareReport, CompareSettings } from "@/lib/compare/report";
import { ALIGN_INPUT_COLUMNS } from "@/lib/compare/sql";
import type { Pairing } from "@/lib/compare/sql";
import { readColumns, SEARCH_COLUMNS } from "./columns";
import { alignedIndexSql, compareRowsSql, createAlignedSql, type CompareQuery } from "./compare-sql";
import { getDuckDB } from "./duckdb";
import { runSql } from "./engine";
import { loadRunTable, runTableName } from "./load-run";
import { metricScores } from "./metric-scores";
import { openRecordsFile, type RecordsFile, type RunSource } from "./records-file";
import type { StatsRequest, StatsResponse } from "./compare.worker";

export interface CompareSide {
  source: RunSource;
  /** The run's primary metric: its `score` column holds that one. */
  primaryMetric: string;
}

/** Both runs aligned in DuckDB, with the alignment also held as columns for rendering. */
export interface AlignedRuns {
  db: AsyncDuckDB;
  /** The aligned table (quoted), queried for the question table. */
  table: string;
  records: { a: RecordsFile; b: RecordsFile };
  columns: AlignedColumns;
  /** Changes whenever the aligned data does. */
  version: string;
}

/**
 * Reads one run's alignment columns (the metric taken from `scores` when it is not the primary)
 * while DuckDB starts, then loads them into it.
 */
async function loadSide(starting: Promise<AsyncDuckDB>, side: CompareSide, metric: string) {
  const records = await openRecordsFile(side.source);
  const batch = await readColumns(records, ALIGN_INPUT_COLUMNS);
  if (metric !== side.primaryMetric) {
    const scores = await readColumns(records, ["scores"]);
    batch.columns.score = metricScores(scores.columns.scores ?? [], metric);
  }
  const part = metric === side.primaryMetric ? "align" : `align:${metric}`;
  const table = await loadRunTable(await starting, records, ALIGN_INPUT_COLUMNS, part, batch);
  return { records, table: table.table, columns: table.batch.columns as unknown as RunColumns };
}

/** Loads both runs into DuckDB and lines them up with alignSql(), the CLI's SQL. */
export function useAlignedRuns(a: CompareSide, b: CompareSide, metric: string) {
  const key = JSON.stringify([a.source, b.source, metric]);
  const [state, setState] = useState<{ key: string; aligned: AlignedRuns | null; error: string | null }>({ key: "", aligned: null, error: null });
  useEffect(() => {
    let cancelled = false;
    const [sourceA, sourceB] = JSON.parse(key) as [RunSource, RunSource];
    (async () => {
      const starting = getDuckDB();
      const [sideA, sideB] = await Promise.all([
        loadSide(starting, { ...a, source: sourceA }, metric),
        loadSide(starting, { ...b, source: sourceB }, metric),
      ]);
      const db = await starting;
      performance.mark("evalbench:compare-loaded");
      const table = runTableName(sourceA.runId, `aligned:${sourceB.runId}:${metric}:${sourceA.version}:${sourceB.version}`);
      await runSql(db, { sql: createAlignedSql(table, sideA.table, sideB.table), params: [] });
      const index = await runSql(db, { sql: alignedIndexSql(table), params: [] });
      const pairingCode = new Map(PAIRINGS.map((p, i) => [p, i]));
      const pairing = Uint8Array.from(index.getChild("pairing")!.toArray() as Pairing[], (p) => pairingCode.get(p)!);
      const columns: AlignedColumns = {
        a: sideA.columns,
        b: sideB.columns,
        rowA: Int32Array.from(index.getChild("row_a")!.toArray() as ArrayLike<number>),
        rowB: Int32Array.from(index.getChild("row_b")!.toArray() as ArrayLike<number>),
        pairing,
      };
      performance.mark("evalbench:compare-aligned");
      return { db, table, records: { a: sideA.records, b: sideB.records }, columns, version: key };
    })().then(
      (aligned) => !cancelled && setState({ key, aligned, error: null }),
      (error: unknown) => !cancelled && setState({ key, aligned: null, error: (error as Error).message }),
    );
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- key stands for both sources and the metric
  }, [key]);
  return state.key === key ? state : { key, aligned: null, error: null };
}

export interface CompareStats {
  report: CompareReport | null;
  /** Histogram of per-question differences, for continuous scores. */
  differences: HistogramBin[] | null;
  /** True while the shown report is not the one for the current scope and settings. */
  pending: boolean;
  error: string | null;
  /** Time the worker spent on the shown report. */
  ms: number | null;
}

/**
 * The comparison's statistics for a scope and settings, computed in a Web Worker by the same
 * compareReport() the CLI runs; the last report stays shown while the next one is computed.
 */
export function useCompareStats(aligned: AlignedRuns | null, scope: Scope, settings: CompareSettings): CompareStats {
  const worker = useRef<{ worker: Worker; sent: string | null } | null>(null);
  const [state, setState] = useState<{ key: string; stats: Omit<CompareStats, "pending"> }>({
    key: "",
    stats: { report: null, differences: null, error: null, ms: null },
  });
  const key = JSON.stringify([aligned?.version ?? null, scope.task ?? null, scope.subtask ?? null, settings]);
  useEffect(() => {
    const instance = new Worker(new URL("./compare.worker.ts", import.meta.url), { type: "module" });
    worker.current = { worker: instance, sent: null };
    return () => {
      instance.terminate();
      worker.current = null;
    };
  }, []);
  useEffect(() => {
    const current = worker.current;
    if (!aligned || !current) return;
    let cancelled = false;
    const id = Math.random();
    const request: StatsRequest = { id, version: aligned.version, scope, settings };
    if (current.sent !== aligned.version) request.columns = aligned.columns;
    current.sent = aligned.version;
    const onMessage = (event: MessageEvent<StatsResponse>) => {
      const response = event.data;
      if (response.id !== id || cancelled) return;
      if ("error" in response) setState({ key, stats: { report: null, differences: null, error: `statistics failed: ${response.error}`, ms: null } });
      else {
        performance.mark("evalbench:compare-stats");
        setState({ key, stats: { report: response.report, differences: response.differences, error: null, ms: response.ms } });
      }
    };
    const onError = (event: ErrorEvent) => !cancelled && setState({ key, stats: { report: null, differences: null, error: `statistics failed: ${event.message}`, ms: null } });
    current.worker.addEventListener("message", onMessage);
    current.worker.addEventListener("error", onError);
    current.worker.postMessage(request);
    return () => {
      cancelled = true;
      current.worker.removeEventListener("message", onMessage);
      current.worker.removeEventListener("error", onError);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- key stands for the data version, scope and settings
  }, [aligned, key]);
  return { ...state.stats, pending: aligned !== null && state.key !== key };
}

/** Loads both runs' text into DuckDB the first time the user searches. */
function useSearchText(aligned: AlignedRuns | null, needed: boolean) {
  const [state, setState] = useState<{ tables: { a: string; b: string } | null; error: string | null }>({ tables: null, error: null });
  const wanted = needed && aligned !== null;
  useEffect(() => {
    if (!wanted || !aligned) return;
    let cancelled = false;
    Promise.all([loadRunTable(aligned.db, aligned.records.a, SEARCH_COLUMNS, "text"), loadRunTable(aligned.db, aligned.records.b, SEARCH_COLUMNS, "text")]).then(
      ([a, b]) => !cancelled && setState({ tables: { a: a.table, b: b.table }, error: null }),
      (error: unknown) => !cancelled && setState({ tables: null, error: (error as Error).message }),
    );
    return () => {
      cancelled = true;
    };
  }, [wanted, aligned]);
  return state;
}

export interface CompareRows {
  /** Aligned positions in display order; null until the first query answers. */
  positions: Int32Array | null;
  pending: boolean;
  loadingText: boolean;
  error: string | null;
}

/** The question table's rows for a query (scope, 2x2 cell, pairing, search, sort), from DuckDB. */
export function useCompareRows(aligned: AlignedRuns | null, query: CompareQuery): CompareRows {
  const needsText = query.search.trim() !== "";
  const text = useSearchText(aligned, needsText);
  const waiting = needsText && !text.tables;
  const key = JSON.stringify([aligned?.version ?? null, text.tables, query]);
  const [state, setState] = useState<{ key: string; positions: Int32Array | null; error: string | null }>({ key: "", positions: null, error: null });
  useEffect(() => {
    if (!aligned || waiting) return;
    let cancelled = false;
    const [, tables, parsed] = JSON.parse(key) as [string, { a: string; b: string } | null, CompareQuery];
    runSql(aligned.db, compareRowsSql(aligned.table, parsed.search.trim() ? tables : null, parsed)).then(
      (result) => !cancelled && setState({ key, positions: Int32Array.from(result.getChild("pos")!.toArray() as ArrayLike<number>), error: null }),
      (error: unknown) => !cancelled && setState({ key, positions: null, error: `query failed: ${(error as Error).message}` }),
    );
    return () => {
      cancelled = true;
    };
  }, [aligned, waiting, key]);
  return {
    positions: state.positions,
    pending: state.key !== key,
    loadingText: waiting && !text.error,
    error: text.error ?? (state.key === key ? state.error : null),
  };
}
