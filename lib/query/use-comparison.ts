import { useEffect, useRef, useState } from "react";
import type { AsyncDuckDB } from "@duckdb/duckdb-wasm";
import { PAIRINGS, type AlignedColumns } from "@/lib/compare/columns";
import type { HistogramBin } from "@/lib/compare/histogram";
import type { Scope } from "@/lib/compare/questions";
import type { CompareReport, CompareSettings, ReportStage } from "@/lib/compare/report";
import { ALIGN_INPUT_COLUMNS, type Pairing } from "@/lib/compare/sql";
import { SEARCH_COLUMNS, type ColumnBatch } from "./columns";
import { alignedIndexSql, compareRowsSql, createAlignedSql, type CompareQuery } from "./compare-sql";
import type { CompareSide, WorkerRequest, WorkerResponse } from "./compare.worker";
import { getDuckDB } from "./duckdb";
import { runSql } from "./engine";
import { loadRunTable, runTableName } from "./load-run";
import { openRecordsFile, type RecordsFile } from "./records-file";

export type { CompareSide };

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

export interface CompareStats {
  report: CompareReport | null;
  /** `analytic` until the bootstraps are done (ci_bootstrap is null then). */
  stage: ReportStage | null;
  /** Histogram of per-question differences, for continuous scores. */
  differences: HistogramBin[] | null;
  /** True while the shown report is not the final one for the current scope and settings. */
  pending: boolean;
  /** True while the shown report is the previous view's (the current one is being computed). */
  stale: boolean;
  error: string | null;
  /** Time the worker spent on the shown report. */
  ms: number | null;
}

export interface Comparison {
  /** Null until DuckDB has the aligned table: the question table waits for it, the statistics do not. */
  aligned: AlignedRuns | null;
  alignError: string | null;
  stats: CompareStats;
}

/**
 * Loads the worker's columns into DuckDB (started only now, so that its start does not compete
 * with the headline for the CPU) and lines them up there with alignSql(), the CLI's SQL, for the
 * question table's queries.
 */
async function alignInDuckDB(version: string, sides: { a: CompareSide; b: CompareSide }, metric: string, columns: AlignedColumns): Promise<AlignedRuns> {
  const db = await getDuckDB();
  const load = async (side: CompareSide, run: AlignedColumns["a"]) => {
    const records = await openRecordsFile(side.source);
    const part = metric === side.primaryMetric ? "align" : `align:${metric}`;
    const batch = { rowStart: 0, length: run.task.length, columns: run as unknown as ColumnBatch["columns"] };
    return { records, table: (await loadRunTable(db, records, ALIGN_INPUT_COLUMNS, part, batch)).table };
  };
  const [a, b] = await Promise.all([load(sides.a, columns.a), load(sides.b, columns.b)]);
  const table = runTableName(sides.a.source.runId, `aligned:${sides.b.source.runId}:${metric}:${sides.a.source.version}:${sides.b.source.version}`);
  await runSql(db, { sql: createAlignedSql(table, a.table, b.table), params: [] });
  const index = await runSql(db, { sql: alignedIndexSql(table), params: [] });
  const pairingCode = new Map(PAIRINGS.map((p, i) => [p, i]));
  performance.mark("evalbench:compare-aligned");
  return {
    db,
    table,
    records: { a: a.records, b: b.records },
    columns: {
      a: columns.a,
      b: columns.b,
      rowA: Int32Array.from(index.getChild("row_a")!.toArray() as ArrayLike<number>),
      rowB: Int32Array.from(index.getChild("row_b")!.toArray() as ArrayLike<number>),
      pairing: Uint8Array.from(index.getChild("pairing")!.toArray() as Pairing[], (p) => pairingCode.get(p)!),
    },
    version,
  };
}

/**
 * A comparison of two runs on one metric. A Web Worker reads both runs, aligns them and computes
 * the statistics with the same compareReport() the CLI runs: first the analytic figures, then the
 * bootstraps. Once it has sent the aligned columns, DuckDB-WASM takes them for the question table.
 * The last report stays shown (marked pending) while the next one is computed.
 */
export function useComparison(a: CompareSide, b: CompareSide, metric: string, scope: Scope, settings: CompareSettings): Comparison {
  const version = JSON.stringify([a, b, metric]);
  const worker = useRef<Worker | null>(null);
  const [load, setLoad] = useState<{ version: string; aligned: AlignedRuns | null; error: string | null }>({ version: "", aligned: null, error: null });
  const [stats, setStats] = useState<{ key: string; stats: Omit<CompareStats, "pending" | "stale"> }>({
    key: "",
    stats: { report: null, stage: null, differences: null, error: null, ms: null },
  });
  const statsKey = JSON.stringify([version, scope.task ?? null, scope.subtask ?? null, settings]);

  // effects run in this order: the worker exists before the load is posted, the load before any request
  useEffect(() => {
    const instance = new Worker(new URL("./compare.worker.ts", import.meta.url), { type: "module" });
    worker.current = instance;
    return () => {
      instance.terminate();
      worker.current = null;
    };
  }, []);

  useEffect(() => {
    const current = worker.current;
    if (!current) return;
    let cancelled = false;
    const [sideA, sideB, wanted] = JSON.parse(version) as [CompareSide, CompareSide, string];
    const fail = (error: string) => !cancelled && setLoad({ version, aligned: null, error });
    const onMessage = (event: MessageEvent<WorkerResponse>) => {
      const response = event.data;
      if (cancelled || (response.kind !== "aligned" && response.kind !== "load-error") || response.version !== version) return;
      if (response.kind === "load-error") return fail(response.error);
      performance.mark("evalbench:compare-loaded");
      alignInDuckDB(version, { a: sideA, b: sideB }, wanted, response.columns).then(
        (aligned) => !cancelled && setLoad({ version, aligned, error: null }),
        (error: unknown) => fail((error as Error).message),
      );
    };
    const onError = (event: ErrorEvent) => fail(`the comparison worker failed: ${event.message}`);
    current.addEventListener("message", onMessage);
    current.addEventListener("error", onError);
    current.postMessage({ kind: "load", version, a: sideA, b: sideB, metric: wanted } satisfies WorkerRequest);
    return () => {
      cancelled = true;
      current.removeEventListener("message", onMessage);
      current.removeEventListener("error", onError);
    };
  }, [version]);

  useEffect(() => {
    const current = worker.current;
    if (!current) return;
    let cancelled = false;
    const id = Math.random();
    const [, task, subtask, wanted] = JSON.parse(statsKey) as [string, string | null, string | null, CompareSettings];
    const fail = (error: string) => !cancelled && setStats({ key: statsKey, stats: { report: null, stage: null, differences: null, error: `statistics failed: ${error}`, ms: null } });
    const onMessage = (event: MessageEvent<WorkerResponse>) => {
      const response = event.data;
      if (cancelled || (response.kind !== "stats" && response.kind !== "stats-error") || response.id !== id) return;
      if (response.kind === "stats-error") return fail(response.error);
      performance.mark(`evalbench:compare-stats-${response.stage}`);
      setStats({ key: statsKey, stats: { report: response.report, stage: response.stage, differences: response.differences, error: null, ms: response.ms } });
    };
    current.addEventListener("message", onMessage);
    current.postMessage({ kind: "stats", id, version, scope: { task, subtask }, settings: wanted } satisfies WorkerRequest);
    return () => {
      cancelled = true;
      current.removeEventListener("message", onMessage);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- statsKey stands for the version, scope and settings
  }, [statsKey]);

  const current = stats.key === statsKey;
  return {
    aligned: load.version === version ? load.aligned : null,
    alignError: load.version === version ? load.error : null,
    stats: { ...stats.stats, pending: !current || stats.stats.stage !== "final", stale: !current, error: current ? stats.stats.error : null },
  };
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
