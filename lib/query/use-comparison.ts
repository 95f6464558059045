import { useEffect, useRef, useState, type RefObject } from "react";
import type { AlignedColumns } from "@/lib/compare/columns";
import type { HistogramBin } from "@/lib/compare/histogram";
import type { CompareReport, CompareSettings, ReportStage } from "@/lib/compare/report";
import type { CompareQuery, TextMatches } from "@/lib/compare/rows";
import { SEARCH_COLUMNS } from "./columns";
import { matchingRowsSql } from "./compare-sql";
import type { CompareSide, WorkerRequest, WorkerResponse } from "./compare.worker";
import { takeCompareWorkers } from "./compare-worker";
import { getDuckDB } from "./duckdb";
import { runSql } from "./engine";
import { loadRunTable } from "./load-run";
import { openRecordsFile } from "./records-file";

export type { CompareSide };

/** Both runs aligned (alignSql's rows, by alignColumns in the worker), held as columns for rendering. */
export interface AlignedRuns {
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

export interface CompareRows {
  /** Aligned positions in display order; null until the first query answers. */
  positions: Int32Array | null;
  pending: boolean;
  loadingText: boolean;
  error: string | null;
}

export interface Comparison {
  /** Null until the worker has sent the aligned columns (asked for once the headline is shown). */
  aligned: AlignedRuns | null;
  alignError: string | null;
  stats: CompareStats;
  rows: CompareRows;
}

type Response<K extends WorkerResponse["kind"]> = Extract<WorkerResponse, { kind: K }>;

/**
 * Posts one request to the worker and hands its answer (a response of `kinds` with this `id`) to
 * `onAnswer` until the returned cleanup runs.
 */
function ask<K extends WorkerResponse["kind"]>(worker: Worker, request: WorkerRequest, kinds: readonly K[], onAnswer: (response: Response<K>) => void) {
  const onMessage = (event: MessageEvent<WorkerResponse>) => {
    const response = event.data;
    if ((kinds as readonly string[]).includes(response.kind) && "id" in response && "id" in request && response.id === request.id) onAnswer(response as Response<K>);
  };
  worker.addEventListener("message", onMessage);
  worker.postMessage(request);
  return () => worker.removeEventListener("message", onMessage);
}

/** Loads both runs' text into DuckDB the first time the user searches, and finds the records that match. */
function useTextMatches(version: string, search: string): { matches: TextMatches | null; loading: boolean; error: string | null } {
  const needle = search.trim().toLowerCase();
  const key = JSON.stringify([version, needle]);
  const [state, setState] = useState<{ key: string; matches: TextMatches | null; error: string | null }>({ key: "", matches: null, error: null });
  useEffect(() => {
    const [sideA, sideB] = JSON.parse(version) as [CompareSide, CompareSide];
    const [, wanted] = JSON.parse(key) as [string, string];
    if (wanted === "") return;
    let cancelled = false;
    (async () => {
      const db = await getDuckDB();
      const match = async (side: CompareSide) => {
        const records = await openRecordsFile(side.source);
        const text = await loadRunTable(db, records, SEARCH_COLUMNS, "text");
        const mask = new Uint8Array(records.rows);
        for (const row of (await runSql(db, matchingRowsSql(text.table, wanted))).getChild("row")!.toArray() as Iterable<number>) mask[row] = 1;
        return mask;
      };
      const [a, b] = await Promise.all([match(sideA), match(sideB)]);
      return { a, b };
    })().then(
      (matches) => !cancelled && setState({ key, matches, error: null }),
      (error: unknown) => !cancelled && setState({ key, matches: null, error: (error as Error).message }),
    );
    return () => {
      cancelled = true;
    };
  }, [version, key]);
  if (needle === "") return { matches: null, loading: false, error: null };
  return state.key === key ? { matches: state.matches, loading: false, error: state.error } : { matches: null, loading: true, error: null };
}

/** The worker's aligned columns, once it sends them (asked for by useComparison). B is read by `reader` meanwhile. */
function useLoad(worker: RefObject<Worker | null>, reader: RefObject<Worker | null>, version: string) {
  const [load, setLoad] = useState<{ version: string; aligned: AlignedRuns | null; error: string | null }>({ version: "", aligned: null, error: null });
  useEffect(() => {
    const current = worker.current;
    const readerWorker = reader.current;
    if (!current || !readerWorker) return;
    let cancelled = false;
    const [a, b, metric] = JSON.parse(version) as [CompareSide, CompareSide, string];
    const onMessage = (event: MessageEvent<WorkerResponse>) => {
      const response = event.data;
      if (cancelled || (response.kind !== "aligned" && response.kind !== "load-error") || response.version !== version) return;
      if (response.kind === "load-error") return setLoad({ version, aligned: null, error: response.error });
      performance.mark("evalbench:compare-columns");
      setLoad({ version, aligned: { columns: response.columns, version }, error: null });
    };
    const onError = (event: ErrorEvent) => !cancelled && setLoad({ version, aligned: null, error: `the comparison worker failed: ${event.message}` });
    current.addEventListener("message", onMessage);
    current.addEventListener("error", onError);
    readerWorker.addEventListener("error", onError);
    const sideB = new MessageChannel();
    readerWorker.postMessage({ kind: "read", side: b, metric, port: sideB.port1 } satisfies WorkerRequest, [sideB.port1]);
    current.postMessage({ kind: "load", version, a, b, metric, sideB: sideB.port2 } satisfies WorkerRequest, [sideB.port2]);
    return () => {
      cancelled = true;
      current.removeEventListener("message", onMessage);
      current.removeEventListener("error", onError);
      readerWorker.removeEventListener("error", onError);
    };
  }, [worker, reader, version]);
  return load.version === version ? load : { version, aligned: null, error: null };
}

/** The statistics for the current scope and settings: the analytic report, then the final one. */
function useStats(worker: RefObject<Worker | null>, version: string, query: CompareQuery, settings: CompareSettings): CompareStats {
  const key = JSON.stringify([version, query.task, query.subtask, settings]);
  const [state, setState] = useState<{ key: string; stats: Omit<CompareStats, "pending" | "stale"> }>({
    key: "",
    stats: { report: null, stage: null, differences: null, error: null, ms: null },
  });
  useEffect(() => {
    if (!worker.current) return;
    const [, task, subtask, wanted] = JSON.parse(key) as [string, string | null, string | null, CompareSettings];
    const request: WorkerRequest = { kind: "stats", id: Math.random(), version, scope: { task, subtask }, settings: wanted };
    return ask(worker.current, request, ["stats", "stats-error"], (response) => {
      if (response.kind === "stats-error") {
        setState({ key, stats: { report: null, stage: null, differences: null, error: `statistics failed: ${response.error}`, ms: null } });
        return;
      }
      performance.mark(`evalbench:compare-stats-${response.stage}`);
      setState({ key, stats: { report: response.report, stage: response.stage, differences: response.differences, error: null, ms: response.ms } });
    });
  }, [worker, version, key]);
  const current = state.key === key;
  return { ...state.stats, pending: !current || state.stats.stage !== "final", stale: !current, error: current ? state.stats.error : null };
}

/** The question table's positions for the query, from the worker (with DuckDB's text matches when searching). */
function useRows(worker: RefObject<Worker | null>, version: string, query: CompareQuery): CompareRows {
  const text = useTextMatches(version, query.search);
  const waiting = text.loading || text.error !== null;
  const key = JSON.stringify([version, query]);
  const [state, setState] = useState<{ key: string; positions: Int32Array | null; error: string | null }>({ key: "", positions: null, error: null });
  useEffect(() => {
    if (!worker.current || waiting) return;
    const request: WorkerRequest = { kind: "rows", id: Math.random(), version, query: JSON.parse(key)[1] as CompareQuery, matches: text.matches };
    return ask(worker.current, request, ["rows", "rows-error"], (response) => {
      if (response.kind === "rows-error") return setState({ key, positions: null, error: `query failed: ${response.error}` });
      performance.mark("evalbench:compare-rows");
      setState({ key, positions: response.positions, error: null });
    });
  }, [worker, version, key, waiting, text.matches]);
  return {
    positions: state.positions,
    pending: state.key !== key,
    loadingText: text.loading,
    error: text.error ?? (state.key === key ? state.error : null),
  };
}

/**
 * A comparison of two runs on one metric. A Web Worker reads A while a second reads B, aligns them and computes
 * the statistics with the same compareReport() the CLI runs (first the analytic figures, then the
 * bootstraps), and filters and sorts the question table; DuckDB-WASM, started once the headline
 * is shown, only runs text searches. The last report and rows stay shown (marked pending) while the next are computed.
 */
export function useComparison(a: CompareSide, b: CompareSide, metric: string, query: CompareQuery, settings: CompareSettings): Comparison {
  const version = JSON.stringify([a, b, metric]);
  const worker = useRef<Worker | null>(null);
  const reader = useRef<Worker | null>(null);
  // effects run in declaration order: the workers exist before the load is posted, the load before any request
  useEffect(() => {
    const workers = takeCompareWorkers();
    worker.current = workers.stats;
    reader.current = workers.reader;
    return () => {
      workers.stats.terminate();
      workers.reader.terminate();
      worker.current = null;
      reader.current = null;
    };
  }, []);
  const load = useLoad(worker, reader, version);
  const stats = useStats(worker, version, query, settings);
  // the question table's columns once the headline is on screen: taking them in holds this thread for a while
  const headlineShown = stats.report !== null || stats.error !== null;
  useEffect(() => {
    if (headlineShown) worker.current?.postMessage({ kind: "columns", version } satisfies WorkerRequest);
  }, [version, headlineShown]);
  const rows = useRows(worker, version, query);
  // once the headline is up, start DuckDB for a later search (a failure is reported by that search)
  const ready = load.aligned !== null;
  useEffect(() => {
    if (ready) getDuckDB().catch(() => {});
  }, [ready]);
  return { aligned: load.aligned, alignError: load.error, stats, rows };
}
