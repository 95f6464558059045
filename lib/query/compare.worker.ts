/// <reference lib="webworker" />
// The compare page's statistics, off the main thread: the same compareReport() the CLI prints.
import { alignedRows, type AlignedColumns } from "@/lib/compare/columns";
import { histogram } from "@/lib/compare/histogram";
import { inScope, questionSets } from "@/lib/compare/questions";
import { compareReport, type CompareReport, type CompareSettings } from "@/lib/compare/report";
import type { Scope } from "@/lib/compare/questions";
import type { AlignedRow } from "@/lib/compare/sql";

export interface StatsRequest {
  id: number;
  /** Identifies the aligned data; `columns` is sent only when it changes. */
  version: string;
  columns?: AlignedColumns;
  scope: Scope;
  settings: CompareSettings;
}

export type StatsResponse =
  | { id: number; report: CompareReport; differences: ReturnType<typeof histogram> | null; ms: number }
  | { id: number; error: string };

let data: { version: string; rows: AlignedRow[] } | null = null;

/** Reports already computed for this data, by scope and settings: going back to a scope is instant. */
const computed = new Map<string, Omit<Extract<StatsResponse, { report: CompareReport }>, "id" | "ms">>();
const CACHE_SIZE = 32;

/** Per-question differences A - B in scope, for the histogram of continuous scores. */
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

self.onmessage = (event: MessageEvent<StatsRequest>) => {
  const { id, version, columns, scope, settings } = event.data;
  try {
    const started = performance.now();
    if (columns) {
      data = { version, rows: alignedRows(columns) };
      computed.clear();
    }
    if (!data || data.version !== version) throw new Error("the statistics worker has no data for this comparison");
    const key = JSON.stringify([scope.task ?? null, scope.subtask ?? null, settings]);
    let result = computed.get(key);
    if (!result) {
      const report = compareReport(data.rows, scope, settings);
      result = { report, differences: report.mcnemar === null && report.n_shared > 0 ? differences(data.rows, scope) : null };
      if (computed.size >= CACHE_SIZE) computed.delete(computed.keys().next().value!);
      computed.set(key, result);
    }
    self.postMessage({ id, ...result, ms: performance.now() - started } satisfies StatsResponse);
  } catch (error) {
    self.postMessage({ id, error: (error as Error).message } satisfies StatsResponse);
  }
};
