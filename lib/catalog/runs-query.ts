import { decodeRunsTableState, filterProblem, matchesFilter, RUN_COLUMNS, type BrokenRun, type RunRow, type RunsTableState } from "@/lib/query/runs";
import { previousCheckpoints } from "@/lib/query/previous-checkpoint";
import { naturalRanks } from "@/lib/sort/natural";
import { isS3Url } from "@/lib/s3/location";
import { listCatalog, runProblem, storeSize, type ListedRun, type RunChecks } from "./list";
import { checkEveryRun, type EveryRunChecked } from "./check-all";
import { processWide } from "./process-wide";
import type { S3Store } from "./s3-store";
import { catalogStore, type CatalogStore } from "./store";
import { taskLabel } from "./summary";

/** A model line with several checkpoints on a task: a link to its series. */
export interface SeriesLine {
  model: string;
  task: string;
  checkpoints: number;
}

/** One page of the runs table, sorted and filtered over every run. */
export interface RunsPage {
  /** Readable runs in the workspace, and those the filters keep. */
  total: number;
  matched: number;
  offset: number;
  rows: RunRow[];
  broken: BrokenRun[];
  series: SeriesLine[];
  /** When every run was last checked against its folder (ISO time; null until the first check ends), or why that check failed. */
  checked: Pick<EveryRunChecked, "at" | "error">;
}

export const PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

export interface RunsQuery extends RunsTableState {
  offset: number;
  limit: number;
}

function runRow(run: ListedRun, previous: Map<string, string>): RunRow | null {
  const s = run.summary;
  if (s === null || run.status === null) return null;
  return {
    runId: run.run_id,
    task: taskLabel(s),
    model: s.model,
    checkpoint: s.checkpoint,
    step: s.step,
    n: s.n,
    planned: s.planned,
    metric: s.metric,
    value: s.value,
    se: s.se,
    metricN: s.metric_n,
    status: run.status,
    created: s.created,
    previous: previous.get(run.run_id) ?? null,
    problem: null,
  };
}

/** Each row's place in a column's order: numbers by value, text naturally (q19 before q180); -1 for null. */
function ranks(rows: readonly RunRow[], column: keyof RunRow): Int32Array {
  const values = rows.map((row) => row[column] as string | number | null);
  if (!values.some((v) => typeof v === "number")) return naturalRanks(values);
  const distinct = [...new Set(values.filter((v): v is number => typeof v === "number"))].sort((a, b) => a - b);
  const rank = new Map(distinct.map((v, i) => [v, i]));
  return Int32Array.from(values, (v) => (typeof v === "number" ? rank.get(v)! : -1));
}

/** The rows in the table's order: by each sort key in turn, nulls last either way, else as listed (newest first). */
export function sortRows(rows: readonly RunRow[], sorting: RunsTableState["sorting"]): RunRow[] {
  const keys = sorting.filter((s) => (RUN_COLUMNS as readonly string[]).includes(s.id)).map((s) => ({ ranks: ranks(rows, s.id as keyof RunRow), sign: s.desc ? -1 : 1 }));
  if (keys.length === 0) return [...rows];
  const order = Int32Array.from(rows.keys()).sort((a, b) => {
    for (const { ranks: r, sign } of keys) {
      if (r[a] === r[b]) continue;
      return r[a] < 0 ? 1 : r[b] < 0 ? -1 : sign * (r[a] - r[b]);
    }
    return a - b;
  });
  return Array.from(order, (i) => rows[i]);
}

export function filterRows(rows: readonly RunRow[], filters: RunsTableState["columnFilters"]): RunRow[] {
  const active = filters.filter((f) => (RUN_COLUMNS as readonly string[]).includes(f.id) && String(f.value ?? "").trim() !== "" && filterProblem(String(f.value)) === null);
  return active.length === 0 ? [...rows] : rows.filter((row) => active.every((f) => matchesFilter(row[f.id as keyof RunRow], String(f.value))));
}

/**
 * Model lines with two or more checkpoints on a task: the models whose latest run is newest first
 * (the training runs people are following now), each model's tasks by name.
 */
export function seriesLines(rows: readonly RunRow[]): SeriesLine[] {
  const lines = new Map<string, { model: string; task: string; checkpoints: Set<string> }>();
  const latest = new Map<string, string>();
  for (const run of rows) {
    const key = `${run.model}\u0000${run.task}`;
    const line = lines.get(key) ?? { model: run.model, task: run.task, checkpoints: new Set<string>() };
    line.checkpoints.add(String(run.step ?? run.checkpoint ?? run.runId));
    lines.set(key, line);
    if (run.created > (latest.get(run.model) ?? "")) latest.set(run.model, run.created);
  }
  const byName = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true });
  // ISO times: their text sorts as they do
  const newestFirst = (a: string, b: string) => (a > b ? -1 : a < b ? 1 : 0);
  return [...lines.values()]
    .filter((l) => l.checkpoints.size >= 2)
    .map((l) => ({ model: l.model, task: l.task, checkpoints: l.checkpoints.size }))
    .sort((a, b) => newestFirst(latest.get(a.model)!, latest.get(b.model)!) || byName(a.model, b.model) || byName(a.task, b.task));
}

/** The page's runs checked now, by size; on a bucket, its running runs' leases too (a listing per running run). */
async function pageChecks(workspace: string, store: CatalogStore, rows: RunRow[]): Promise<RunChecks> {
  if (!isS3Url(workspace)) return { size: storeSize(store) };
  const { checkBucketRuns } = await import("./s3-runs");
  return checkBucketRuns(store as S3Store, rows.filter((row) => row.status === "running").map((row) => row.runId));
}

/** What every page of one listing shares, kept while the listing is the same. */
interface Table {
  listed: ListedRun[];
  /** The readable runs, newest first. */
  all: RunRow[];
  /** The runs the index itself holds as broken. */
  broken: BrokenRun[];
  series: SeriesLine[];
  byId: Map<string, ListedRun>;
  /** The sorted and filtered views asked for, by query. */
  views: Map<string, RunRow[]>;
}

const tables = processWide("runs-tables", () => new Map<string, Table>());
/** Views kept per listing: the pages and sorts people move between. */
const KEPT_VIEWS = 16;

/**
 * Whether two listings show the same: the same runs from the same index entries, and the running
 * ones (listed anew each time) at the same progress.
 */
function sameListing(a: readonly ListedRun[], b: readonly ListedRun[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    // a listing read again holds the same facts (summary) objects; a running run's are read anew.
    // A new entry can carry the facts its run.json already gave, so the entry itself (key and
    // recorded size, which the page's checks compare with the folder) tells the listings apart.
    if (x.run_id !== y.run_id || x.key !== y.key || x.manifest_bytes !== y.manifest_bytes || x.status !== y.status || x.problem !== y.problem) return false;
    if (x.summary !== y.summary && JSON.stringify(x.summary) !== JSON.stringify(y.summary)) return false;
  }
  return true;
}

function tableOf(workspace: string, listed: ListedRun[]): Table {
  const kept = tables.get(workspace);
  if (kept && sameListing(kept.listed, listed)) return kept;
  const previous = previousCheckpoints(listed);
  const all: RunRow[] = [];
  const broken: BrokenRun[] = [];
  for (const run of listed) {
    const row = runRow(run, previous);
    if (row && run.problem === null) all.push(row);
    else broken.push({ runId: run.run_id, reason: run.problem ?? "the index holds no manifest for this run; run evalbench reindex" });
  }
  const table = { listed, all, broken, series: seriesLines(all), byId: new Map(listed.map((run) => [run.run_id, run])), views: new Map<string, RunRow[]>() };
  tables.set(workspace, table);
  return table;
}

function viewOf(table: Table, query: RunsQuery): RunRow[] {
  const key = JSON.stringify([query.sorting, query.columnFilters]);
  let view = table.views.get(key);
  if (!view) {
    view = sortRows(filterRows(table.all, query.columnFilters), query.sorting);
    if (table.views.size >= KEPT_VIEWS) table.views.delete(table.views.keys().next().value!);
    table.views.set(key, view);
  }
  return view;
}

/**
 * One page of the runs table from the catalog's index: every run filtered and sorted here, on the
 * server, and the page's rows checked against their folders first (a run removed or cut short
 * since it was indexed shows broken, with the reason, where it would have shown). Every other run
 * is checked after, in the background (`checkEveryRun`): the runs it finds broken are listed
 * from the next answer on, and `checked` says when that check last ended.
 */
export async function runsPage(workspace: string, query: RunsQuery): Promise<RunsPage> {
  const listed = await listCatalog(workspace, { check: false });
  const table = tableOf(workspace, listed);
  const matched = viewOf(table, query);
  const offset = Math.max(0, Math.min(query.offset, Math.max(0, matched.length - 1)));
  const shown = matched.slice(offset, offset + query.limit);
  const checks = await pageChecks(workspace, await catalogStore(workspace), shown);
  const rows = await Promise.all(
    shown.map(async (row) => {
      const problem = await runProblem(checks.size, { ...table.byId.get(row.runId)!, error: null });
      const status = row.status === "running" && checks.leaseLapsed?.(row.runId) ? "interrupted" : row.status;
      return problem === null && status === row.status ? row : { ...row, status, problem };
    }),
  );
  // started after the page's own checks, so they do not wait behind it
  const checked = checkEveryRun(workspace, listed, table.byId);
  const indexBroken = new Set(table.broken.map((run) => run.runId));
  const broken = [...table.broken, ...checked.broken.filter((run) => !indexBroken.has(run.runId))];
  return { total: table.all.length, matched: matched.length, offset, rows, broken, series: table.series, checked: { at: checked.at, error: checked.error } };
}

/** The query an address or a request carries: sort and filter.* as the runs page writes them, `page` (1-based) or offset, limit. */
export function runsQueryFrom(params: URLSearchParams): RunsQuery {
  const count = (name: string, fallback: number) => {
    const text = params.get(name);
    if (text === null || text === "") return fallback;
    if (!/^\d+$/.test(text)) throw Object.assign(new Error(`${name}=${text} is not a whole number; give ${name} as 0, 1, 2, ...`), { status: 400 });
    return Number(text);
  };
  const limit = Math.min(Math.max(1, count("limit", PAGE_SIZE)), MAX_PAGE_SIZE);
  const page = count("page", 1);
  return { ...decodeRunsTableState(params, RUN_COLUMNS), limit, offset: params.has("offset") ? count("offset", 0) : Math.max(0, page - 1) * limit };
}
