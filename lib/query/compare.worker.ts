/// <reference lib="webworker" />
// The compare page's statistics, off the main thread and without waiting for DuckDB-WASM: this
// worker reads run A's alignment columns (hyparquet) while a second instance of it, the reader,
// reads run B's; it lines them up as alignSql() does (alignColumns) and runs the same
// compareReport() the CLI prints, first without the bootstraps. It also filters and sorts the
// question table (questionPositions), and keeps finished reports (report-store.ts).
import { alignColumns } from "@/lib/compare/align";
import { alignedRows, type AlignedColumns, type RunColumns } from "@/lib/compare/columns";
import { histogram } from "@/lib/compare/histogram";
import { inScope, questionSets, type Scope } from "@/lib/compare/questions";
import { reportSteps, type CompareReport, type CompareSettings, type ReportStage } from "@/lib/compare/report";
import { questionPositions, type CompareQuery, type TextMatches } from "@/lib/compare/rows";
import { ALIGN_INPUT_COLUMNS, type AlignedRow } from "@/lib/compare/sql";
import { readColumns } from "./columns";
import { metricScores } from "./metric-scores";
import { openCompareFile, openRecordsFile, type RunSource } from "./records-file";
import { storedReport, storeReport } from "./report-store";

export interface CompareSide {
  source: RunSource;
  /** The run's primary metric: its `score` column holds that one. */
  primaryMetric: string;
}

export type WorkerRequest =
  /**
   * Read A and align it with B, whose columns another worker reads meanwhile and posts on `sideB`
   * (see `read`): two cores decode the two runs. `version` names this data in every later message.
   */
  | { kind: "load"; version: string; a: CompareSide; b: CompareSide; metric: string; sideB: MessagePort }
  /** As the reader: read one run's alignment columns and post them, or the error, on `port`. */
  | { kind: "read"; side: CompareSide; metric: string; port: MessagePort }
  /** The aligned columns, for the question table: asked once the headline is on screen. */
  | { kind: "columns"; version: string }
  | { kind: "stats"; id: number; version: string; scope: Scope; settings: CompareSettings }
  /** The question table's positions for a query; `matches` when it searches text. */
  | { kind: "rows"; id: number; version: string; query: CompareQuery; matches: TextMatches | null };

export type WorkerResponse =
  /** The answer to `columns`. */
  | { kind: "aligned"; version: string; columns: AlignedColumns }
  | { kind: "load-error"; version: string; error: string }
  | { kind: "stats"; id: number; stage: ReportStage; report: CompareReport; differences: ReturnType<typeof histogram> | null; ms: number }
  | { kind: "stats-error"; id: number; error: string }
  | { kind: "rows"; id: number; positions: Int32Array }
  | { kind: "rows-error"; id: number; error: string };

interface Loaded {
  version: string;
  columns: Promise<AlignedColumns>;
  rows: Promise<AlignedRow[]>;
  /** Both runs are finalized, so their reports can be kept in the browser (report-store.ts). */
  storable: boolean;
}

let loaded: Loaded | null = null;
/** The newest statistics request: an older one still computing gives way to it. */
let latest = 0;

const post = (message: WorkerResponse) => self.postMessage(message);

/**
 * One run's alignment columns, `score` holding the compared metric: from compare.parquet when the
 * run has one and the metric is its primary, else picked out of the records (`scores` for another metric).
 */
async function readSide(side: CompareSide, metric: string): Promise<RunColumns> {
  const primary = metric === side.primaryMetric;
  const records = primary && side.source.compareBytes !== undefined ? await openCompareFile(side.source) : await openRecordsFile(side.source);
  const batch = await readColumns(records, primary ? ALIGN_INPUT_COLUMNS : [...ALIGN_INPUT_COLUMNS.filter((c) => c !== "score"), "scores"]);
  if (!primary) batch.columns.score = metricScores(batch.columns.scores ?? [], metric);
  return batch.columns as unknown as RunColumns;
}

/** What the reader posts on its port. */
type SideMessage = { columns: RunColumns } | { error: string };

function read({ side, metric, port }: Extract<WorkerRequest, { kind: "read" }>) {
  readSide(side, metric).then(
    (columns) => port.postMessage({ columns } satisfies SideMessage),
    (error: unknown) => port.postMessage({ error: (error as Error).message } satisfies SideMessage),
  );
}

/** The columns the reader posts on `port`. */
function receiveSide(port: MessagePort): Promise<RunColumns> {
  return new Promise((resolve, reject) => {
    port.onmessage = ({ data }: MessageEvent<SideMessage>) => {
      port.close();
      if ("error" in data) reject(new Error(data.error));
      else resolve(data.columns);
    };
  });
}

/** A finalized run (its manifest gives the records' size): its reports cannot change under its content hash. */
const finalized = (side: CompareSide) => side.source.byteLength !== undefined;

function load({ version, a, b, metric, sideB }: Extract<WorkerRequest, { kind: "load" }>) {
  const columns = Promise.all([readSide(a, metric), receiveSide(sideB)]).then(([runA, runB]) => alignColumns(runA, runB));
  loaded = { version, columns, rows: columns.then(alignedRows), storable: finalized(a) && finalized(b) };
  columns.catch((error: unknown) => post({ kind: "load-error", version, error: (error as Error).message }));
  loaded.rows.catch(() => {}); // reported just above, and to each statistics request
}

type Result = Omit<Extract<WorkerResponse, { kind: "stats" }>, "id" | "kind" | "ms">;
/** Reports already computed, by data version, scope, settings and stage: going back to a scope is instant. */
const computed = new Map<string, Result>();
const REPORTS_KEPT = 64;

/** Sets `key` in `map`, first dropping its oldest entry when it already holds `limit`. */
function keep<V>(map: Map<string, V>, limit: number, key: string, value: V) {
  if (map.size >= limit) map.delete(map.keys().next().value!);
  map.set(key, value);
}

/** Per-question differences candidate − baseline in scope, for the histogram of continuous scores. */
function differences(rows: readonly AlignedRow[], scope: Scope) {
  const sets = questionSets(rows.filter((r) => inScope(r, scope)));
  const b = new Map(sets.b.map((q) => [q.questionId, q.score]));
  const values: number[] = [];
  for (const q of sets.a) {
    const other = b.get(q.questionId);
    if (q.score !== null && other !== null && other !== undefined) values.push(q.score - other);
  }
  return histogram(values);
}

/** Lets queued messages in (a newer request) between two steps of a report. */
const channel = new MessageChannel();
const yieldToMessages = () =>
  new Promise<void>((resolve) => {
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });

/**
 * The aligned columns, for the page's question table. The page asks for them once it shows the
 * headline: taking in 100,000 rows of columns holds its main thread for a while.
 */
async function sendColumns({ version }: Extract<WorkerRequest, { kind: "columns" }>) {
  const data = loaded;
  if (!data || data.version !== version) return; // a newer load answers its own request
  post({ kind: "aligned", version, columns: await data.columns });
}

/**
 * The analytic report, then the one with the bootstraps; each posted as soon as it is ready. A
 * final report kept from an earlier visit is posted at once, before the runs are read.
 */
async function answer({ id, version, scope, settings }: Extract<WorkerRequest, { kind: "stats" }>) {
  latest = id;
  const data = loaded;
  if (!data || data.version !== version) throw new Error("the statistics worker has no data for this comparison");
  const keyOf = (stage: ReportStage) => JSON.stringify([version, scope.task ?? null, scope.subtask ?? null, settings, stage]);
  if (data.storable && !computed.has(keyOf("final"))) {
    const stored = await storedReport<Result>(keyOf("final"));
    if (stored) keep(computed, REPORTS_KEPT, keyOf("final"), stored);
  }
  for (const stage of ["analytic", "final"] as const) {
    if (stage === "analytic" && computed.has(keyOf("final"))) continue;
    const started = performance.now();
    const key = keyOf(stage);
    let result = computed.get(key);
    if (!result) {
      const [rows, { acrossTasks }] = await Promise.all([data.rows, data.columns]);
      if (latest !== id) return;
      const steps = reportSteps(rows, scope, settings, stage, acrossTasks);
      let step = steps.next();
      while (!step.done) {
        // the headline without the per-task rows, shown while they are computed
        if (step.value && stage === "analytic") {
          post({ kind: "stats", id, stage, report: step.value, differences: null, ms: performance.now() - started });
        }
        await yieldToMessages();
        if (latest !== id) return;
        step = steps.next();
      }
      const report = step.value;
      result = { stage, report, differences: report.mcnemar === null && report.n_shared > 0 ? differences(rows, scope) : null };
      keep(computed, REPORTS_KEPT, key, result);
      if (stage === "final" && data.storable) void storeReport(key, result);
    }
    if (latest !== id) return;
    post({ kind: "stats", id, ...result, ms: performance.now() - started });
  }
}

/** Table orders already computed for this data, by query (searches aside): going back to a view is instant. */
const ordered = new Map<string, Int32Array>();
/** 400 KB each at 100,000 questions. */
const ORDERS_KEPT = 16;

async function positions({ id, version, query, matches }: Extract<WorkerRequest, { kind: "rows" }>) {
  const data = loaded;
  if (!data || data.version !== version) throw new Error("the comparison worker has no data for this comparison");
  const [columns, rows] = await Promise.all([data.columns, data.rows]);
  const key = matches === null ? JSON.stringify(query) : null;
  let result = key === null ? undefined : ordered.get(key);
  if (!result) {
    result = questionPositions(rows, columns.rowA, columns.rowB, query, matches);
    if (key !== null) keep(ordered, ORDERS_KEPT, key, result);
  }
  const sent = result.slice(); // the kept one stays here; this one is handed over
  self.postMessage({ kind: "rows", id, positions: sent } satisfies WorkerResponse, [sent.buffer]);
}

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  if (request.kind === "load") {
    computed.clear();
    ordered.clear();
    load(request);
  } else if (request.kind === "read") {
    read(request);
  } else if (request.kind === "columns") {
    sendColumns(request).catch(() => {}); // a failed load is reported by "load-error"
  } else if (request.kind === "rows") {
    positions(request).catch((error: unknown) => post({ kind: "rows-error", id: request.id, error: (error as Error).message }));
  } else {
    answer(request).catch((error: unknown) => post({ kind: "stats-error", id: request.id, error: (error as Error).message }));
  }
};
