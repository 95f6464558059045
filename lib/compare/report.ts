import { compareRuns, holm, type Interval, type RunsComparison, type StatsOptions, type WarningCode } from "@/lib/stats";
import { nothingPairs, type AcrossTasks, type NothingPairs, type PairingNote } from "./pairing";
import { inScope, questionSets, type QuestionSets, type Scope } from "./questions";
import { DEFAULT_SETTINGS, type CompareSettings } from "./settings";
import type { AlignedRow } from "./sql";

export { DEFAULT_SETTINGS, type CompareSettings } from "./settings";

export interface EffectReport {
  n_shared: number;
  n_only_candidate: number;
  n_only_baseline: number;
  n_mismatched: number;
  /** Questions in both runs, same hash, but unscored in at least one (errored, or no score). */
  n_unscored: number;
  mean_candidate: number | null;
  mean_baseline: number | null;
  /** candidate − baseline */
  delta: number | null;
  se_paired: number | null;
  ci_analytic: Interval | null;
  ci_bootstrap: { method: "bca" | "percentile-fallback"; level: "question" | "cluster"; lo: number; hi: number } | null;
  p_value: { method: "mcnemar_exact" | "sign_flip_exact" | "sign_flip_monte_carlo"; value: number } | null;
  p_normal: number | null;
  mcnemar: { both_right: number; only_candidate_right: number; only_baseline_right: number; both_wrong: number; p_exact: number } | null;
  mde: number | null;
  r: number | null;
  clustered: { n_clusters: number; se: number | null; ci_analytic: Interval | null; mde: number | null; design_effect: number | null } | null;
  /** When no question is shared: the two runs' means compared as independent samples (spec 4). */
  unpaired: { n_candidate: number; n_baseline: number; delta: number | null; se: number | null; ci: Interval | null; p_normal: number | null; mde: number | null } | null;
  warnings: WarningCode[];
}

export interface Verdict {
  direction: "better" | "worse" | "none" | "unknown";
  text: string;
}

export interface PerTaskReport extends EffectReport {
  task: string;
  subtask: string | null;
  /** Holm-adjusted p across the rows of the same level (tasks, or subtasks). */
  p_holm: number | null;
}

export interface CompareReport extends EffectReport {
  settings: CompareSettings;
  scope: Scope;
  /** 100 when every score lies in [0, 1] (differences shown in points), else 1. */
  scale: number;
  verdict: Verdict;
  /** Whether the runs were paired across task names, and why nothing pairs when nothing does. */
  pairing: PairingNote;
  per_task: PerTaskReport[];
}

const sorted = <T>(values: Iterable<T>) => [...values].sort((x, y) => (String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0));

/** Which figures to compute: `analytic` skips the bootstraps (ci_bootstrap null), for a first, fast report. */
export type ReportStage = "analytic" | "final";

/** The paired (or, with nothing shared, unpaired) effect of the candidate against the baseline on aligned rows. */
export function effectReport(rows: readonly AlignedRow[], settings: CompareSettings, stage: ReportStage): EffectReport {
  return effectOfSets(questionSets(rows), settings, stage);
}

/** effectReport() on questions already lined up (one score per question per run). */
export function effectOfSets(sets: QuestionSets, settings: CompareSettings, stage: ReportStage): EffectReport {
  const options: StatsOptions = { seed: settings.seed, B: settings.B, signFlipB: settings.B, alpha: settings.alpha, bootstrap: stage === "final", shownBootstrapOnly: true };
  const stats: RunsComparison = compareRuns(sets.a, sets.b, options);
  const { paired, unpaired } = stats;
  const boot = paired.clusterBootstrap ?? paired.bootstrap;
  const mc = paired.mcnemar;
  const signFlip = paired.signFlip;
  return {
    n_shared: paired.nShared,
    n_only_candidate: sets.onlyA,
    n_only_baseline: sets.onlyB,
    n_mismatched: sets.mismatched.length,
    n_unscored: sets.inBoth - paired.nShared,
    mean_candidate: paired.meanA,
    mean_baseline: paired.meanB,
    delta: paired.delta,
    se_paired: paired.se,
    ci_analytic: paired.ci,
    ci_bootstrap: boot && { method: boot.bcaMethod, level: boot.kind, lo: boot.bcaCi[0], hi: boot.bcaCi[1] },
    p_value: mc
      ? { method: "mcnemar_exact", value: mc.pExact }
      : signFlip && { method: signFlip.method === "monte_carlo" ? "sign_flip_monte_carlo" : "sign_flip_exact", value: signFlip.p },
    p_normal: paired.pNormal,
    mcnemar: mc && { both_right: mc.bothCorrect, only_candidate_right: mc.onlyA, only_baseline_right: mc.onlyB, both_wrong: mc.bothWrong, p_exact: mc.pExact },
    mde: paired.mde,
    r: paired.correlation,
    clustered: paired.clustered && {
      n_clusters: paired.clustered.nClusters,
      se: paired.clustered.se,
      ci_analytic: paired.clustered.ci,
      mde: paired.clustered.mde,
      design_effect: paired.clustered.designEffect,
    },
    unpaired:
      paired.nShared === 0
        ? { n_candidate: unpaired.nA, n_baseline: unpaired.nB, delta: unpaired.delta, se: unpaired.se, ci: unpaired.ci, p_normal: unpaired.pNormal, mde: unpaired.mde }
        : null,
    warnings: stats.warnings,
  };
}

const fmt = (x: number, scale: number) => (scale * x).toFixed(scale === 100 ? 1 : 3);

/** Why-nothing-pairs reasons that leave no difference to show, not even an unpaired one. */
const noDifference = (nothing: NothingPairs | null) => nothing?.reason === "different_tasks" || nothing?.reason === "changed_hashes";

/** "95% CI [0.4, 4.1]" */
const ciText = (ci: readonly [number, number], scale: number, alpha: number) => `${Math.round((1 - alpha) * 100)}% CI [${fmt(ci[0], scale)}, ${fmt(ci[1], scale)}]`;

/** The plain sentence at the top of the page and of the Markdown summary; the difference is candidate − baseline. */
export function verdict(e: EffectReport, scale: number, alpha = DEFAULT_SETTINGS.alpha, nothing: NothingPairs | null = null): Verdict {
  const unit = scale === 100 ? "points" : "(score units)";
  if (nothing && noDifference(nothing)) return { direction: "unknown", text: `nothing to compare: ${nothing.text}` };
  if (e.n_shared === 0) {
    const u = e.unpaired;
    if (!u || u.delta === null || u.ci === null) return { direction: "unknown", text: "no shared questions, and too few scored questions to compare" };
    return {
      direction: u.ci[0] > 0 ? "better" : u.ci[1] < 0 ? "worse" : "none",
      text: `no shared questions: unpaired difference (candidate − baseline) ${fmt(u.delta, scale)} ${unit}, ${ciText(u.ci, scale, alpha)} (n candidate = ${u.n_candidate}, n baseline = ${u.n_baseline})`,
    };
  }
  const ci = e.ci_bootstrap ? ([e.ci_bootstrap.lo, e.ci_bootstrap.hi] as const) : e.ci_analytic;
  if (e.delta === null || ci === null) return { direction: "unknown", text: `too few shared questions (${e.n_shared}) to say` };
  if (ci[0] > 0) return { direction: "better", text: `candidate is better by ${fmt(e.delta, scale)} ${unit}, ${ciText(ci, scale, alpha)}` };
  if (ci[1] < 0) return { direction: "worse", text: `candidate is worse by ${fmt(-e.delta, scale)} ${unit}, ${ciText(ci, scale, alpha)}` };
  const mde = e.clustered?.mde ?? e.mde;
  return {
    direction: "none",
    text: mde === null ? "no difference detectable" : `no difference detectable; this comparison can detect ${fmt(mde, scale)} ${unit}`,
  };
}

function withHolm(rows: Omit<PerTaskReport, "p_holm">[]): PerTaskReport[] {
  const adjusted = holm(rows.map((r) => r.p_value?.value ?? null));
  return rows.map((r, i) => ({ ...r, p_holm: adjusted[i] }));
}

/**
 * The whole comparison of the candidate against the baseline on aligned rows: the headline effect, the verdict, and one
 * row per task and per subtask with Holm-adjusted p-values. The compare page (in a Web Worker)
 * and `evalbench compare` both call this, so they print the same numbers.
 */
export function compareReport(rows: readonly AlignedRow[], scope: Scope = {}, settings: CompareSettings = DEFAULT_SETTINGS, stage: ReportStage = "final", across: AcrossTasks | null = null): CompareReport {
  const steps = reportSteps(rows, scope, settings, stage, across);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Rows grouped by a key, each group in row order (rows whose key is null are left out). */
function groupBy(rows: readonly AlignedRow[], key: (row: AlignedRow) => string | null): Map<string, AlignedRow[]> {
  const groups = new Map<string, AlignedRow[]>();
  for (const row of rows) {
    const k = key(row);
    if (k === null) continue;
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

/**
 * compareReport() one effect at a time: it yields between the headline and each task or subtask
 * row, so the page's worker can answer a newer request instead of finishing a stale report. The
 * first value yielded is the report without its per-task rows, for the page to show at once.
 */
export function* reportSteps(rows: readonly AlignedRow[], scope: Scope, settings: CompareSettings, stage: ReportStage, across: AcrossTasks | null = null): Generator<CompareReport | undefined, CompareReport> {
  const scoped = rows.filter((r) => inScope(r, scope));
  const effect = effectReport(scoped, settings, stage);
  const nothing = nothingPairs(scoped, effect.n_shared);
  const head = noDifference(nothing) ? { ...effect, unpaired: null } : effect;
  const allUnit = scoped.every((r) => (r.score_a === null || (r.score_a >= 0 && r.score_a <= 1)) && (r.score_b === null || (r.score_b >= 0 && r.score_b <= 1)));
  const scale = allUnit ? 100 : 1;
  const headline = { ...head, settings, scope, scale, verdict: verdict(head, scale, settings.alpha, nothing), pairing: { across_tasks: across, nothing_pairs: nothing } };
  yield { ...headline, per_task: [] };

  const byTask = groupBy(scoped, (r) => r.task);
  const tasks = sorted(byTask.keys());
  const taskRows = [];
  for (const task of tasks) {
    // With one task in scope its row is the headline itself: the bootstraps are not run twice.
    if (tasks.length > 1) yield;
    taskRows.push({ task, subtask: null, ...(tasks.length === 1 ? head : effectReport(byTask.get(task)!, settings, stage)) });
  }
  const subtaskRows = [];
  for (const task of tasks) {
    const bySubtask = groupBy(byTask.get(task)!, (r) => r.subtask);
    for (const subtask of sorted(bySubtask.keys())) {
      yield;
      subtaskRows.push({ task, subtask, ...effectReport(bySubtask.get(subtask)!, settings, stage) });
    }
  }
  return { ...headline, per_task: [...withHolm(taskRows), ...withHolm(subtaskRows)] };
}
