import type { RunManifest, RunStatus } from "@/lib/schema";
import { encodeView } from "@/lib/share/view-state";
import type { RunSource } from "./records-file";

/** One readable run as the runs list shows it: flat fields, so every column sorts and filters. */
export interface RunRow {
  runId: string;
  task: string;
  model: string;
  checkpoint: string | null;
  step: number | null;
  /** Questions recorded (for a finished run, the rows of records.parquet). */
  n: number;
  planned: number;
  metric: string;
  value: number | null;
  se: number | null;
  /** Questions the metric was computed on (fewer than `n` when some are unscored). */
  metricN: number | null;
  status: string;
  created: string;
  /** The complete run of the previous checkpoint of this model and task, for a complete run. */
  previous: string | null;
  /** Why the run no longer matches the index (removed, rewritten, cut short), or null. */
  problem: string | null;
}

export interface BrokenRun {
  runId: string;
  reason: string;
}

/** The runs table's columns, by id: what the address may sort and filter by. */
export const RUN_COLUMNS = ["runId", "task", "model", "checkpoint", "step", "n", "value", "status", "created"] as const;

/** The compare page's URL for a candidate against a baseline, optionally filtered to one 2x2 cell (only_a: candidate right, baseline wrong). */
export function compareUrl(candidate: string, baseline: string, cell?: "only_a" | "only_b"): string {
  return `/compare?${encodeView({ a: candidate, b: baseline, cell: cell ?? null })}`;
}

/**
 * Two picked runs as candidate and baseline: the later checkpoint (by step, then by creation
 * time) is the candidate, whichever was picked first; runs that tie keep the order of picking.
 */
export function candidateFirst(first: RunRow, second: RunRow): [candidate: RunRow, baseline: RunRow] {
  const later = (x: RunRow, y: RunRow) => (x.step !== null && y.step !== null && x.step !== y.step ? x.step > y.step : x.created > y.created);
  return later(second, first) ? [second, first] : [first, second];
}

/**
 * Matches a cell against a filter typed by the user: `>0.5`, `<=1000`, `=3` compare numbers;
 * anything else is a case-insensitive substring.
 */
export function matchesFilter(value: unknown, filter: string): boolean {
  const text = filter.trim();
  if (text === "") return true;
  const comparison = /^(>=|<=|>|<|=)\s*(-?\d+(?:\.\d+)?)$/.exec(text);
  if (comparison) {
    if (typeof value !== "number") return false;
    const bound = Number(comparison[2]);
    switch (comparison[1]) {
      case ">": return value > bound;
      case "<": return value < bound;
      case ">=": return value >= bound;
      case "<=": return value <= bound;
      default: return value === bound;
    }
  }
  return value !== null && value !== undefined && String(value).toLowerCase().includes(text.toLowerCase());
}

/** Why a filter typed by the user cannot mean what it seems to, or null: an operator needs a number after it. */
export function filterProblem(filter: string): string | null {
  const text = filter.trim();
  if (!/^(>=|<=|>|<|=)/.test(text) || /^(>=|<=|>|<|=)\s*(-?\d+(?:\.\d+)?)$/.test(text)) return null;
  return `${text} compares numbers: write a number after the operator, e.g. >=0.5`;
}

/** The runs table's sorting and filters as URL parameters (`sort=-step`, `filter.task=gsm8k`), so a link keeps them. */
export interface RunsTableState {
  sorting: { id: string; desc: boolean }[];
  columnFilters: { id: string; value: unknown }[];
}

export function encodeRunsTableState(state: RunsTableState): string {
  const params = new URLSearchParams();
  for (const sort of state.sorting) params.append("sort", `${sort.desc ? "-" : ""}${sort.id}`);
  for (const filter of state.columnFilters) if (String(filter.value ?? "") !== "") params.set(`filter.${filter.id}`, String(filter.value));
  return params.toString();
}

export function decodeRunsTableState(params: URLSearchParams, columns: readonly string[]): RunsTableState {
  const known = new Set(columns);
  return {
    sorting: params.getAll("sort").flatMap((s) => {
      const id = s.replace(/^-/, "");
      return known.has(id) ? [{ id, desc: s.startsWith("-") }] : [];
    }),
    columnFilters: [...params].flatMap(([key, value]) => (key.startsWith("filter.") && known.has(key.slice(7)) ? [{ id: key.slice(7), value }] : [])),
  };
}

/** Where the browser reads a run's records: a finished run by its hash, an open one as a snapshot. */
export function runSource(manifest: RunManifest, status: RunStatus): RunSource {
  const records = manifest.records;
  return {
    runId: manifest.run_id,
    byteLength: records?.bytes,
    compareBytes: records?.compare?.bytes,
    rows: records?.rows ?? manifest.counts.done,
    live: status === "running",
    // an open run's records are a snapshot of its journal: a new one whenever it grows
    version: records ? records.sha256 : `${manifest.updated_at}:${manifest.counts.done}`,
  };
}
