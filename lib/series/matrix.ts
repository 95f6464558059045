import { DEFAULT_SETTINGS, type CompareSettings } from "@/lib/compare/report";
import type { RunManifest } from "@/lib/schema";
import { holm } from "@/lib/stats";
import { matchesLine, matchesTask, SeriesInputError, taskSpec } from "./lines";
import { comparePair, type PairFigures } from "./pairs";
import type { QuestionsOf } from "./report";

/** Runs one matrix compares at most: 100 runs are 4,950 pairs. */
export const MAX_MATRIX_RUNS = 100;

export interface MatrixPair extends PairFigures {
  /** Row run: the candidate. */
  a: string;
  /** Column run: the baseline; delta = a - b. */
  b: string;
  /** Holm-adjusted p over every pair of the matrix. */
  p_holm: number | null;
}

export interface MatrixReport {
  task: string;
  metric: string;
  runs: string[];
  /** Each run's score and step, for ordering and labels. */
  scores: { run_id: string; model: string; step: number | null; checkpoint: string | null; mean: number | null }[];
  /** Every unordered pair once, a before b in `runs` order. */
  pairs: MatrixPair[];
  /** Pairs that share no question. */
  unshared: number;
}

/** The runs' one task, or an error naming the runs of each task. */
function oneTask(manifests: readonly RunManifest[]): string {
  const byTask = new Map<string, string[]>();
  for (const m of manifests) byTask.set(taskSpec(m), [...(byTask.get(taskSpec(m)) ?? []), m.run_id]);
  if (byTask.size > 1) {
    throw new SeriesInputError(`a matrix compares runs of one task; these are of ${byTask.size}: ${[...byTask].map(([task, ids]) => `${task} (${ids.join(", ")})`).join("; ")}. Name runs of one task, or pick one with --task`);
  }
  return [...byTask.keys()][0];
}

/**
 * The pairwise matrix of runs of one task: for every pair, the paired difference (row minus
 * column) on their shared questions with its CI, p (McNemar exact or sign-flip, as compare) and
 * MDE; p adjusted by Holm over all pairs.
 */
export async function matrixReport(manifests: readonly RunManifest[], questionsOf: QuestionsOf, metric: string | null = null, settings: CompareSettings = DEFAULT_SETTINGS): Promise<MatrixReport> {
  if (manifests.length < 2) throw new SeriesInputError(`a matrix needs at least two runs (got ${manifests.length})`);
  if (manifests.length > MAX_MATRIX_RUNS) throw new SeriesInputError(`a matrix compares at most ${MAX_MATRIX_RUNS} runs (${(MAX_MATRIX_RUNS * (MAX_MATRIX_RUNS - 1)) / 2} pairs); got ${manifests.length}: name fewer`);
  const seen = new Set<string>();
  for (const m of manifests) {
    if (seen.has(m.run_id)) throw new SeriesInputError(`run ${m.run_id} is named twice`);
    seen.add(m.run_id);
  }
  const task = oneTask(manifests);
  const primaries = new Set(manifests.map((m) => m.primary_metric));
  if (metric === null && primaries.size > 1) throw new SeriesInputError(`the runs' primary metrics differ (${[...primaries].sort().join(", ")}); name one with --metric`);
  const chosen = metric ?? manifests[0].primary_metric;
  const questions = await Promise.all(manifests.map((m) => questionsOf(m.run_id)));
  const raw: Omit<MatrixPair, "p_holm">[] = [];
  for (let i = 0; i < manifests.length; i++) {
    for (let j = i + 1; j < manifests.length; j++) raw.push({ a: manifests[i].run_id, b: manifests[j].run_id, ...comparePair(questions[i], questions[j], settings) });
  }
  const adjusted = holm(raw.map((p) => p.p));
  return {
    task,
    metric: chosen,
    runs: manifests.map((m) => m.run_id),
    scores: manifests.map((m) => ({ run_id: m.run_id, model: m.model.name, step: m.model.step, checkpoint: m.model.checkpoint, mean: m.metrics[chosen]?.value ?? null })),
    pairs: raw.map((p, i) => ({ ...p, p_holm: adjusted[i] })),
    unshared: raw.filter((p) => p.n_shared === 0).length,
  };
}

/**
 * The matrix's default runs on a task: every checkpoint of a line (by step) when a line is named,
 * else the latest complete checkpoint of each model.
 */
export function defaultMatrixRuns(manifests: readonly RunManifest[], task: string, line: string | null): RunManifest[] {
  const ofTask = manifests.filter((m) => m.status === "complete" && matchesTask(m, task));
  const byStep = (a: RunManifest, b: RunManifest) => (a.model.step ?? -1) - (b.model.step ?? -1) || (a.created_at < b.created_at ? -1 : 1);
  if (line !== null) return ofTask.filter((m) => matchesLine(m, line)).sort(byStep);
  const latest = new Map<string, RunManifest>();
  for (const m of [...ofTask].sort(byStep)) latest.set(m.model.name, m);
  return [...latest.values()];
}
