import type { Interval } from "@/lib/stats";
import type { RunManifest } from "@/lib/schema";
import type { CatalogEntry } from "@/lib/workspace/catalog";

/**
 * The manifest stage of the training-run view: which runs form each model line's checkpoint
 * series on one task, and each checkpoint's score with its interval, read from run.json alone
 * (no Parquet), so the chart can be drawn at once.
 */

/** How a line is named: a model name, or `experiment=NAME` for runs labelled with an experiment. */
export type LineSelector = string;

export interface SeriesPoint {
  run_id: string;
  step: number | null;
  checkpoint: string | null;
  /** Position along the x axis: the step, or the checkpoint's order when the line has no steps. */
  x: number;
  /** Scored questions. */
  n: number;
  mean: number;
  /** The run's SE: CR1 clustered when its questions carry clusters (then n_clusters is set), else s/sqrt(n). */
  se: number | null;
  ci: Interval | null;
  n_clusters: number | null;
  /** The task's config hash differs from the previous point's: its questions or scoring changed. */
  task_changed: boolean;
  task_hash: string;
}

/** A checkpoint of the line that has no point, and why. */
export interface SeriesGap {
  run_id: string;
  step: number | null;
  checkpoint: string | null;
  reason: string;
}

export interface SeriesLine {
  /** The selector as given. */
  model: string;
  task: string;
  points: SeriesPoint[];
  gaps: SeriesGap[];
  /** "step", or "checkpoint" when no run of the line has a step (then x is the order). */
  x_axis: "step" | "checkpoint";
  /** What a reader must know: runs left out, re-runs not shown, ordering. */
  notes: string[];
}

/** A request the series cannot answer (unknown line or task, bad option): HTTP 400 in the app. */
export class SeriesInputError extends Error {
  readonly status = 400;
  constructor(message: string) {
    super(message);
    this.name = "SeriesInputError";
  }
}

/** Natural order of checkpoint labels: step-9 before step-10. */
const natural = new Intl.Collator("en", { numeric: true }).compare;

/** Does a run belong to the line the selector names? */
export function matchesLine(manifest: RunManifest, selector: LineSelector): boolean {
  const experiment = /^experiment=(.+)$/.exec(selector);
  return experiment ? manifest.experiment === experiment[1] : manifest.model.name === selector;
}

/** A run's task as a spec: `name`, or `name:variant`. */
export const taskSpec = (m: RunManifest) => (m.task.variant ? `${m.task.name}:${m.task.variant}` : m.task.name);

/** Does a run belong to a task spec: `name:variant` exactly, a bare `name` any of its variants. */
export const matchesTask = (m: RunManifest, task: string) => (task.includes(":") ? taskSpec(m) === task : m.task.name === task);

/**
 * The task spec's runs: `name:variant` exactly; a bare `name` takes every variant only when the
 * runs hold one, since two formulations of a task are two different benchmarks.
 */
function ofTask(manifests: readonly RunManifest[], task: string): RunManifest[] {
  const runs = manifests.filter((m) => matchesTask(m, task));
  if (task.includes(":")) return runs;
  const variants = [...new Set(runs.map(taskSpec))].sort();
  if (variants.length > 1) throw new SeriesInputError(`task ${task} has runs of ${variants.length} formulations (${variants.join(", ")}); name one of them`);
  return runs;
}

/** A point from a complete run's manifest, or the reason it cannot be one. */
function pointOf(m: RunManifest, metric: string): Omit<SeriesPoint, "x" | "task_changed"> | string {
  const value = m.metrics[metric];
  if (!value) return `run has no metric ${metric} (it has ${Object.keys(m.metrics).join(", ") || "none"})`;
  if (value.value === null) return `no scored question for ${metric}`;
  const clustered = value.clustered && value.clustered.se !== null ? value.clustered : null;
  return {
    run_id: m.run_id,
    step: m.model.step,
    checkpoint: m.model.checkpoint,
    n: value.n,
    mean: value.value,
    se: clustered ? clustered.se : value.se,
    ci: clustered ? clustered.ci : value.ci,
    n_clusters: clustered ? clustered.n_clusters : null,
    task_hash: m.task.hash,
  };
}

const why = (m: RunManifest, status: string) =>
  status === "running" ? `still running (${m.counts.done} of ${m.counts.planned} recorded)` : m.error ? `${status}: ${m.error}` : status;

/**
 * One model line on one task: its complete runs as points in step order, its other runs as gaps
 * with the reason. Runs without a step are ordered by checkpoint label when no run of the line has
 * a step, and left out (named in a note) when others do. Of several runs at one checkpoint the
 * newest complete one is the point; the others are named in a note.
 */
export function buildLine(entries: readonly CatalogEntry[], selector: LineSelector, task: string, metric: string): SeriesLine {
  const all = entries.flatMap((e) => (e.manifest && matchesLine(e.manifest, selector) ? [{ manifest: e.manifest, status: e.ok ? e.status : null, error: e.ok ? null : e.error }] : []));
  const runs = ofTask(all.map((r) => r.manifest), task);
  const byId = new Map(all.map((r) => [r.manifest.run_id, r]));
  const line: SeriesLine = { model: selector, task, points: [], gaps: [], x_axis: "step", notes: [] };
  const stepped = runs.filter((m) => m.model.step !== null);
  let ordered: RunManifest[];
  if (stepped.length === 0) {
    line.x_axis = "checkpoint";
    ordered = [...runs].sort((a, b) => natural(a.model.checkpoint ?? a.run_id, b.model.checkpoint ?? b.run_id) || (a.created_at < b.created_at ? -1 : 1));
    if (runs.length > 0) line.notes.push("no run of this line records a training step: checkpoints are ordered by their labels");
  } else {
    ordered = [...stepped].sort((a, b) => a.model.step! - b.model.step! || (a.created_at < b.created_at ? -1 : 1));
    const stepless = runs.filter((m) => m.model.step === null).map((m) => m.run_id);
    if (stepless.length > 0) line.notes.push(`left out, no training step recorded: ${stepless.join(", ")}`);
  }
  // one point per checkpoint: group by step (or label), keep the newest complete run
  const groups = new Map<string, RunManifest[]>();
  for (const m of ordered) {
    const key = line.x_axis === "step" ? String(m.model.step) : (m.model.checkpoint ?? m.run_id);
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  let order = 0;
  for (const group of groups.values()) {
    const x = line.x_axis === "step" ? group[0].model.step! : order++;
    const complete = group.filter((m) => byId.get(m.run_id)!.status === "complete").sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
    const chosen = complete[0];
    const point = chosen ? pointOf(chosen, metric) : null;
    if (chosen && typeof point !== "string" && point) {
      const previous = line.points.at(-1);
      line.points.push({ ...point, x, task_changed: previous !== undefined && previous.task_hash !== point.task_hash });
      const others = group.filter((m) => m !== chosen).map((m) => m.run_id);
      if (others.length > 0) line.notes.push(`at ${describe(chosen)}: showing ${chosen.run_id}, the newest complete run; not shown: ${others.join(", ")}`);
      continue;
    }
    const newest = [...group].sort((a, b) => (a.created_at < b.created_at ? 1 : -1))[0];
    const entry = byId.get(newest.run_id)!;
    const reason = typeof point === "string" ? point : entry.error ? `unreadable: ${entry.error}` : why(newest, entry.status!);
    line.gaps.push({ run_id: newest.run_id, step: newest.model.step, checkpoint: newest.model.checkpoint, reason });
  }
  return line;
}

const describe = (m: RunManifest) => (m.model.step !== null ? `step ${m.model.step}` : `checkpoint ${m.model.checkpoint ?? m.run_id}`);

/** The steps (x positions) every line has a point at. */
export function sharedSteps(lines: readonly SeriesLine[]): Set<number> {
  if (lines.length === 0) return new Set();
  return lines.map((l) => new Set(l.points.map((p) => p.x))).reduce((a, b) => new Set([...a].filter((x) => b.has(x))));
}

/** The task specs and line selectors the workspace offers, for pickers and error messages. */
export function seriesChoices(entries: readonly CatalogEntry[]): { models: string[]; experiments: string[]; tasks: string[] } {
  const manifests = entries.flatMap((e) => (e.manifest ? [e.manifest] : []));
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort(natural);
  return {
    models: sorted(manifests.map((m) => m.model.name)),
    experiments: sorted(manifests.flatMap((m) => (m.experiment ? [m.experiment] : []))),
    tasks: sorted(manifests.map(taskSpec)),
  };
}
