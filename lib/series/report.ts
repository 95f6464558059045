import type { RunQuestions } from "@/lib/compare/run-questions";
import { DEFAULT_SETTINGS, type CompareSettings } from "@/lib/compare/report";
import type { RunManifest } from "@/lib/schema";
import { kendallTau, populationSd, relativeNoise, relativeSignal, signalToNoise, type Interval } from "@/lib/stats";
import type { CatalogEntry } from "@/lib/workspace/catalog";
import { DEFAULT_K } from "./defaults";
import { buildLine, matchesLine, matchesTask, SeriesInputError, seriesChoices, sharedSteps, type SeriesLine } from "./lines";
import { comparePair, type PairFigures } from "./pairs";

/** Lines one series shows at most: every further line is compared with the first at every step. */
export const MAX_LINES = 12;

export interface SeriesOptions {
  /** Line selectors; the first is the baseline the others are compared with. */
  lines: readonly string[];
  task: string;
  /** Default: the runs' primary metric. */
  metric?: string | null;
  /** Checkpoints the noise and the recent change are measured over. */
  k?: number;
  /** For scores that are not 0/1: a question rose or fell only by more than this. */
  tieMargin?: number;
  settings?: CompareSettings;
}

/** A line with what its points alone tell: noise, monotonicity, and which steps moved within noise. */
export interface SummaryLine extends SeriesLine {
  noise: {
    /** Checkpoints it is over: the last k, or fewer when the line has fewer. */
    k_used: number;
    /** Population SD of their scores (np.std), in the metric's units. */
    sd: number | null;
    /** sd / their mean. */
    relative: number | null;
    /** Why there is no figure. */
    reason: string | null;
  };
  /** Per point after the first: its change from the previous point and whether |change| <= noise sd. */
  steps: { run_id: string; change: number; within_noise: boolean | null }[];
  kendall_tau: { tau: number | null; p: number | null; method: string | null };
}

export interface PerTaskRow {
  task: string;
  model: string;
  latest: { run_id: string; step: number | null; mean: number; ci: Interval | null } | null;
  /** Filled by the paired stage: latest against the checkpoint k - 1 points back. */
  change_last_k: ({ from_run_id: string; to_run_id: string } & PairFigures) | null;
  kendall_tau: { tau: number | null; p: number | null };
  noise: number | null;
  signal: number | null;
  snr: number | null;
}

export interface SeriesSummary {
  task: string;
  metric: string;
  k: number;
  tie_margin: number;
  lines: SummaryLine[];
  per_task: PerTaskRow[];
  /** The latest step every line has a point at, where the signal is measured. */
  signal_step: number | null;
  notes: string[];
}

export interface FlipRow extends PairFigures {
  model: string;
  from_run_id: string;
  to_run_id: string;
  from_step: number | null;
  to_step: number | null;
  /** 0/1 scores: wrong then right (learned) and right then wrong (forgotten); else rose and fell by more than the tie margin. */
  learned: number | null;
  forgotten: number | null;
}

export interface DifferenceRow extends PairFigures {
  model: string;
  baseline: string;
  step: number;
  a_run_id: string;
  b_run_id: string;
}

export interface SeriesReport extends SeriesSummary {
  flips: FlipRow[];
  differences: DifferenceRow[];
}

/** The task's primary metric, which every run of the selection must share unless one is named. */
function defaultMetric(entries: readonly CatalogEntry[], lines: readonly string[], task: string): string {
  const metrics = new Set(entries.flatMap((e) => (e.manifest && matchesTask(e.manifest, task) && lines.some((l) => matchesLine(e.manifest!, l)) ? [e.manifest.primary_metric] : [])));
  if (metrics.size > 1) throw new SeriesInputError(`the runs' primary metrics differ (${[...metrics].sort().join(", ")}); name one with --metric`);
  return [...metrics][0] ?? "score";
}

/** A line's row of the per-task table, without the paired change (the paired stage fills it). */
export function perTaskRow(task: string, line: SummaryLine, signal: number | null): PerTaskRow {
  const latest = line.points.at(-1);
  return {
    task,
    model: line.model,
    latest: latest ? { run_id: latest.run_id, step: latest.step, mean: latest.mean, ci: latest.ci } : null,
    change_last_k: null,
    kendall_tau: { tau: line.kendall_tau.tau, p: line.kendall_tau.p },
    noise: line.noise.relative,
    signal,
    snr: signalToNoise(signal, line.noise.relative),
  };
}

/** A line with its noise, step changes and Kendall's tau. */
export function summarizeLine(line: SeriesLine, k: number): SummaryLine {
  const last = line.points.slice(-k).map((p) => p.mean);
  const sd = last.length >= 2 ? populationSd(last) : null;
  const reason =
    line.points.length === 0 ? "no checkpoint has a score" : line.points.length === 1 ? "one checkpoint: noise needs at least two" : null;
  const steps = line.points.slice(1).map((p, i) => {
    const change = p.mean - line.points[i].mean;
    return { run_id: p.run_id, change, within_noise: sd === null ? null : Math.abs(change) <= sd };
  });
  const tau = kendallTau(line.points.map((p) => p.x), line.points.map((p) => p.mean));
  return {
    ...line,
    noise: { k_used: last.length, sd, relative: relativeNoise(last), reason },
    steps,
    kendall_tau: { tau: tau.tau, p: tau.p, method: tau.method },
  };
}

/**
 * Everything the run manifests tell about the selected lines on one task: the points with their
 * intervals, gaps, noise, monotonicity, and the signal between the lines at their latest common
 * step. No Parquet is read: this is what the chart draws first.
 */
export function seriesSummary(entries: readonly CatalogEntry[], options: SeriesOptions): SeriesSummary {
  const k = options.k ?? DEFAULT_K;
  if (!Number.isInteger(k) || k < 2) throw new SeriesInputError(`k must be a whole number of checkpoints, at least 2 (got ${k})`);
  if (options.lines.length === 0) throw new SeriesInputError("name at least one model line");
  if (options.lines.length > MAX_LINES) throw new SeriesInputError(`a series shows at most ${MAX_LINES} lines (got ${options.lines.length}); name fewer`);
  if (new Set(options.lines).size !== options.lines.length) throw new SeriesInputError("a line is named twice; name each line once");
  const choices = seriesChoices(entries);
  if (!choices.tasks.some((t) => t === options.task || t.startsWith(`${options.task}:`))) {
    throw new SeriesInputError(`no run of task ${options.task} in the workspace; it has ${choices.tasks.join(", ") || "no runs"}`);
  }
  const metric = options.metric ?? defaultMetric(entries, options.lines, options.task);
  const built = options.lines.map((selector) => buildLine(entries, selector, options.task, metric));
  const empty = built.filter((l) => l.points.length === 0 && l.gaps.length === 0).map((l) => l.model);
  if (empty.length > 0) {
    throw new SeriesInputError(`no run of ${empty.join(", ")} on task ${options.task}; model lines with runs: ${choices.models.join(", ")}${choices.experiments.length ? `; experiments: ${choices.experiments.map((e) => `experiment=${e}`).join(", ")}` : ""}`);
  }
  const lines = built.map((line) => summarizeLine(line, k));
  const notes: string[] = [];

  // the signal: the lines' scores at the latest step they all have a point at
  let signalStep: number | null = null;
  let signal: number | null = null;
  if (lines.length >= 2) {
    if (lines.some((l) => l.x_axis !== "step")) notes.push("signal: some line has no training steps, so the lines cannot be lined up by step");
    else {
      const common = sharedSteps(lines);
      signalStep = common.size > 0 ? Math.max(...common) : null;
      if (signalStep === null) notes.push("signal: the lines share no step");
      else signal = relativeSignal(lines.map((l) => l.points.find((p) => p.x === signalStep)!.mean));
    }
  }
  const per_task = lines.map((l) => perTaskRow(options.task, l, signal));
  return { task: options.task, metric, k, tie_margin: options.tieMargin ?? 0, lines, per_task, signal_step: signalStep, notes };
}

/** Loads a run's questions; the caller decides where from (Node files, a cache). */
export type QuestionsOf = (runId: string) => Promise<RunQuestions>;

/** One part of the paired stage, so the page can show each as soon as its runs are read. */
export type SeriesPart = { part: "flips"; line: number } | { part: "differences"; line: number } | { part: "changes" };

const pairer = (summary: SeriesSummary, questionsOf: QuestionsOf, settings: CompareSettings) => async (a: string, b: string) =>
  comparePair(await questionsOf(a), await questionsOf(b), settings, summary.tie_margin);

/** Starts reading the runs of the given lines at once, so file reads overlap with the decoding of others. */
function prefetch(lines: readonly SummaryLine[], questionsOf: QuestionsOf): void {
  for (const line of lines) for (const p of line.points) questionsOf(p.run_id).catch(() => undefined); // the caller's own await reports it
}

/** Flips between consecutive checkpoints of line `index`: learned and forgotten (or rose and fell), with p. */
export async function lineFlips(summary: SeriesSummary, index: number, questionsOf: QuestionsOf, settings: CompareSettings = DEFAULT_SETTINGS): Promise<FlipRow[]> {
  const line = lineAt(summary, index);
  prefetch([line], questionsOf);
  const pair = pairer(summary, questionsOf, settings);
  const flips: FlipRow[] = [];
  for (let i = 1; i < line.points.length; i++) {
    const from = line.points[i - 1];
    const to = line.points[i];
    const figures = await pair(to.run_id, from.run_id);
    const counts = figures.mcnemar ? { learned: figures.mcnemar.b, forgotten: figures.mcnemar.c } : figures.rose_fell ? { learned: figures.rose_fell.rose, forgotten: figures.rose_fell.fell } : { learned: null, forgotten: null };
    flips.push({ model: line.model, from_run_id: from.run_id, to_run_id: to.run_id, from_step: from.step, to_step: to.step, ...counts, ...figures });
  }
  return flips;
}

/** Line `index` minus the first line (the baseline) at every step both have a point at. */
export async function lineDifferences(summary: SeriesSummary, index: number, questionsOf: QuestionsOf, settings: CompareSettings = DEFAULT_SETTINGS): Promise<DifferenceRow[]> {
  const line = lineAt(summary, index);
  const baseline = summary.lines[0];
  if (index === 0 || line.x_axis !== "step" || baseline.x_axis !== "step") return [];
  prefetch([line, baseline], questionsOf);
  const pair = pairer(summary, questionsOf, settings);
  const differences: DifferenceRow[] = [];
  for (const point of line.points) {
    const base = baseline.points.find((p) => p.x === point.x);
    if (base) differences.push({ model: line.model, baseline: baseline.model, step: point.x, a_run_id: point.run_id, b_run_id: base.run_id, ...(await pair(point.run_id, base.run_id)) });
  }
  return differences;
}

/** The per-task rows with each line's change over its last k checkpoints, paired. */
export async function changesLastK(summary: SeriesSummary, questionsOf: QuestionsOf, settings: CompareSettings = DEFAULT_SETTINGS): Promise<PerTaskRow[]> {
  const pair = pairer(summary, questionsOf, settings);
  return Promise.all(
    summary.per_task.map(async (row, i) => {
      const points = summary.lines[i].points;
      if (points.length < 2) return row;
      const from = points[Math.max(0, points.length - summary.k)];
      const to = points.at(-1)!;
      return { ...row, change_last_k: { from_run_id: from.run_id, to_run_id: to.run_id, ...(await pair(to.run_id, from.run_id)) } };
    }),
  );
}

function lineAt(summary: SeriesSummary, index: number): SummaryLine {
  const line = summary.lines[index];
  if (!line) throw new SeriesInputError(`there is no line ${index + 1}: the series has ${summary.lines.length}`);
  return line;
}

/**
 * The paired stage, which reads every point's questions: flips between consecutive checkpoints of
 * each line, the difference of each further line against the first (the baseline) at every step
 * both have, and each line's change over its last k checkpoints.
 */
export async function seriesPaired(summary: SeriesSummary, questionsOf: QuestionsOf, settings: CompareSettings = DEFAULT_SETTINGS): Promise<SeriesReport> {
  prefetch(summary.lines, questionsOf);
  const flips: FlipRow[] = [];
  const differences: DifferenceRow[] = [];
  for (let i = 0; i < summary.lines.length; i++) {
    flips.push(...(await lineFlips(summary, i, questionsOf, settings)));
    differences.push(...(await lineDifferences(summary, i, questionsOf, settings)));
  }
  return { ...summary, per_task: await changesLastK(summary, questionsOf, settings), flips, differences };
}

/** One part of a whole report, as seriesPartOnDisk computes it alone: what the page asks for piece by piece. */
export function reportPart(report: SeriesReport, part: SeriesPart): FlipRow[] | DifferenceRow[] | PerTaskRow[] {
  if (part.part === "changes") return report.per_task;
  const model = lineAt(report, part.line).model;
  return part.part === "flips" ? report.flips.filter((f) => f.model === model) : report.differences.filter((d) => d.model === model);
}

/** The manifest of every run a summary shows, by id, for loading their columns. */
export function manifestsOf(entries: readonly CatalogEntry[]): Map<string, RunManifest> {
  return new Map(entries.flatMap((e) => (e.manifest ? [[e.run_id, e.manifest] as const] : [])));
}
