import type { RunQuestions } from "@/lib/compare/run-questions";
import { getSuite, suiteNames, type Aggregate } from "@/lib/runner/suites";
import "@/lib/runner/tasks";
import { Z975, relativeSignal, twoSidedNormalP } from "@/lib/stats";
import type { CatalogEntry } from "@/lib/workspace/catalog";
import { SeriesInputError, sharedSteps, type SeriesLine, type SeriesPoint } from "./lines";
import { comparePair } from "./pairs";
import { type DifferenceRow, type FlipRow, type PerTaskRow, type QuestionsOf, seriesPaired, seriesSummary, summarizeLine, perTaskRow, type SeriesOptions, type SeriesReport, type SummaryLine } from "./report";

/** A suite across checkpoints: each member task's series, and the suite's aggregate as a line of its own. */
export interface SuiteReport {
  suite: string;
  rule: Aggregate;
  /** Member task specs that have runs of the lines, and those that have none. */
  tasks: string[];
  missing: string[];
  k: number;
  /** The aggregate per line, at the steps where every member task has a point; none for rule "none". */
  lines: SummaryLine[];
  /** Every member task's rows, then the aggregate's (task = "suite NAME"). */
  per_task: PerTaskRow[];
  flips: (FlipRow & { task: string })[];
  differences: (DifferenceRow & { task: string })[];
  notes: string[];
}

interface Estimate {
  mean: number;
  se: number | null;
}

/** Mean of independent estimates with its SE: sqrt(sum se^2) / count (null if any SE is). */
function meanOf(estimates: readonly Estimate[]): Estimate {
  const mean = estimates.reduce((a, e) => a + e.mean, 0) / estimates.length;
  const known = estimates.every((e) => e.se !== null);
  return { mean, se: known ? Math.sqrt(estimates.reduce((a, e) => a + e.se! * e.se!, 0)) / estimates.length : null };
}

/** A run's score as the rule weighs it: its mean, or (mean_of_means) the mean of its subtasks' means. */
function taskEstimate(point: SeriesPoint, questions: RunQuestions | null): Estimate {
  if (!questions) return { mean: point.mean, se: point.se };
  const bySubtask = new Map<string, number[]>();
  questions.score.forEach((score, q) => {
    if (score === null) return;
    const key = questions.subtask[q] ?? "";
    bySubtask.set(key, [...(bySubtask.get(key) ?? []), score]);
  });
  if (bySubtask.size <= 1) return { mean: point.mean, se: point.se };
  return meanOf(
    [...bySubtask.values()].map((scores) => {
      const m = scores.reduce((a, b) => a + b, 0) / scores.length;
      const variance = scores.length < 2 ? null : scores.reduce((a, s) => a + (s - m) * (s - m), 0) / (scores.length - 1);
      return { mean: m, se: variance === null ? null : Math.sqrt(variance / scores.length) };
    }),
  );
}

/**
 * The suite's aggregate line of one model line: at every step all member tasks have a point, the
 * suite's rule over their scores (the mean of the tasks' means, or of their subtasks' means), with
 * SE sqrt(sum se_t^2) / T, since the tasks' question sets are independent samples.
 */
async function aggregateLine(model: string, members: readonly SeriesLine[], rule: Aggregate, questionsOf: QuestionsOf, suite: string): Promise<SeriesLine> {
  const steps = sharedSteps(members);
  const points: SeriesPoint[] = [];
  for (const x of [...steps].sort((a, b) => a - b)) {
    const at = members.map((l) => l.points.find((p) => p.x === x)!);
    const estimates = await Promise.all(at.map(async (p) => taskEstimate(p, rule === "mean_of_means" ? await questionsOf(p.run_id) : null)));
    const { mean, se } = meanOf(estimates);
    points.push({
      run_id: at.map((p) => p.run_id).join(" + "),
      step: at[0].step,
      checkpoint: at[0].checkpoint,
      x,
      n: at.reduce((a, p) => a + p.n, 0),
      mean,
      se,
      ci: se === null ? null : [mean - Z975 * se, mean + Z975 * se],
      n_clusters: null,
      task_changed: at.some((p) => p.task_changed),
      task_hash: at.map((p) => p.task_hash).join("+"),
    });
  }
  const dropped = members.flatMap((l) => l.points.filter((p) => !steps.has(p.x)).map((p) => p.x));
  const notes = dropped.length > 0 ? [`the ${suite} aggregate leaves out steps not every member task has: ${[...new Set(dropped)].sort((a, b) => a - b).join(", ")}`] : [];
  return { model, task: `suite ${suite}`, points, gaps: [], x_axis: members[0].x_axis, notes };
}

/** The suite's report: every member task's series (paired stage included) and the aggregate. */
export async function suiteReport(entries: readonly CatalogEntry[], options: Omit<SeriesOptions, "task" | "metric"> & { suite: string }, questionsOf: (metric: string) => QuestionsOf): Promise<SuiteReport> {
  const suite = getSuite(options.suite);
  if (!suite) throw new SeriesInputError(`unknown suite ${options.suite}; suites: ${suiteNames().join(", ")}`);
  const tasks: string[] = [];
  const missing: string[] = [];
  const reports: SeriesReport[] = [];
  for (const task of suite.tasks) {
    try {
      const summary = seriesSummary(entries, { ...options, task, metric: null });
      reports.push(await seriesPaired(summary, questionsOf(summary.metric)));
      tasks.push(task);
    } catch (error) {
      if (!(error instanceof SeriesInputError)) throw error;
      missing.push(task);
    }
  }
  if (reports.length === 0) throw new SeriesInputError(`no member task of suite ${suite.name} (${suite.tasks.join(", ")}) has runs of ${options.lines.join(", ")}`);
  const k = reports[0].k;
  const notes = missing.length > 0 ? [`no runs of ${missing.join(", ")}: the aggregate is over ${tasks.join(", ")} only`] : [];
  const lines: SummaryLine[] = [];
  if (suite.aggregate === "none") notes.push(`suite ${suite.name} defines no aggregate (rule none): per task only`);
  else {
    for (let i = 0; i < options.lines.length; i++) {
      const line = await aggregateLine(options.lines[i], reports.map((r) => r.lines[i]), suite.aggregate, questionsOf(reports[0].metric), suite.name);
      lines.push(summarizeLine(line, k));
    }
  }
  const common = lines.length >= 2 ? sharedSteps(lines) : new Set<number>();
  const signalStep = common.size > 0 ? Math.max(...common) : null;
  const signal = signalStep === null ? null : relativeSignal(lines.map((l) => l.points.find((p) => p.x === signalStep)!.mean));
  const aggregateRows: PerTaskRow[] = [];
  for (const [i, l] of lines.entries()) {
    const change_last_k = await aggregateChange(l, reports.map((r) => r.lines[i]), suite.aggregate, k, questionsOf(reports[0].metric));
    aggregateRows.push({ ...perTaskRow(`suite ${suite.name}`, l, signal), change_last_k });
  }
  return {
    suite: suite.name,
    rule: suite.aggregate,
    tasks,
    missing,
    k,
    lines,
    per_task: [...reports.flatMap((r) => r.per_task), ...aggregateRows],
    flips: reports.flatMap((r) => r.flips.map((f) => ({ task: r.task, ...f }))),
    differences: reports.flatMap((r) => r.differences.map((d) => ({ task: r.task, ...d }))),
    notes,
  };
}

/**
 * The aggregate's change over its last k points for rule "mean": each member task's paired change
 * between the same two steps, averaged, with SE sqrt(sum se_t^2) / T, normal CI and p. Null for
 * mean_of_means (subtask weights do not follow from the tasks' changes) and for fewer than 2 points.
 */
async function aggregateChange(line: SummaryLine, members: readonly SeriesLine[], rule: Aggregate, k: number, questionsOf: QuestionsOf): Promise<PerTaskRow["change_last_k"]> {
  if (rule !== "mean" || line.points.length < 2) return null;
  const from = line.points[Math.max(0, line.points.length - k)];
  const to = line.points.at(-1)!;
  const changes = await Promise.all(
    members.map(async (m) => {
      const a = m.points.find((p) => p.x === to.x)!;
      const b = m.points.find((p) => p.x === from.x)!;
      return comparePair(await questionsOf(a.run_id), await questionsOf(b.run_id));
    }),
  );
  if (changes.some((c) => c.delta === null || c.se === null)) return null;
  const { mean, se } = meanOf(changes.map((c) => ({ mean: c.delta!, se: c.se })));
  return {
    from_run_id: from.run_id,
    to_run_id: to.run_id,
    n_shared: changes.reduce((a, c) => a + c.n_shared, 0),
    n_mismatched: changes.reduce((a, c) => a + c.n_mismatched, 0),
    delta: mean,
    se,
    ci: se === null ? null : [mean - Z975 * se, mean + Z975 * se],
    p: se === null || se === 0 ? null : twoSidedNormalP(mean / se),
    mde: null,
    mcnemar: null,
    rose_fell: null,
  };
}
