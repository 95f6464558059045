import { markdownCode, markdownText } from "@/lib/format/markdown";
import { warningsText } from "./explain";
import { pairingSentence } from "./pairing";
import type { CompareReport, EffectReport, PerTaskReport } from "./report";

export interface RunLabel {
  run_id: string;
  label: string;
}

const num = (x: number | null, scale: number, digits = scale === 100 ? 1 : 3) => (x === null ? "–" : (scale * x).toFixed(digits));
const interval = (ci: readonly [number, number] | null, scale: number) => (ci === null ? "–" : `[${num(ci[0], scale)}, ${num(ci[1], scale)}]`);
const pValue = (p: number | null) => (p === null ? "–" : p < 0.0001 ? "<0.0001" : p.toFixed(4));

export function headlineCi(e: EffectReport): readonly [number, number] | null {
  return e.ci_bootstrap ? [e.ci_bootstrap.lo, e.ci_bootstrap.hi] : e.ci_analytic;
}

const taskLabel = (task: string, subtask?: string | null) => (subtask ? `${task}/${subtask}` : task);

/** Each task followed by its subtasks, in name order. */
export const inTableOrder = (rows: readonly PerTaskReport[]) =>
  [...rows].sort((x, y) => compareNames(x.task, y.task) || (x.subtask === y.subtask ? 0 : x.subtask === null ? -1 : y.subtask === null ? 1 : compareNames(x.subtask, y.subtask)));

const compareNames = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

/**
 * A Markdown summary for a code review: the verdict, the headline numbers, every task and subtask
 * with both sides' scores, and the link that reopens the same view.
 */
export function markdownSummary(report: CompareReport, candidate: RunLabel, baseline: RunLabel, link?: string): string {
  const s = report.scale;
  const unit = s === 100 ? " (points)" : "";
  const level = `${Math.round((1 - report.settings.alpha) * 100)}% CI`;
  const pairing = pairingSentence(report.pairing);
  const lines = [
    `**${report.verdict.text}**`,
    "",
    `candidate ${markdownCode(candidate.label)} vs baseline ${markdownCode(baseline.label)}${report.scope.task ? `, scope ${markdownText(taskLabel(report.scope.task, report.scope.subtask))}` : ""}`,
    ...(pairing ? ["", markdownText(pairing)] : []),
    "",
    `| | value${unit} |`,
    "|---|---|",
    `| candidate / baseline | ${num(report.mean_candidate, s)} / ${num(report.mean_baseline, s)} |`,
    `| Δ (candidate − baseline) | ${num(report.delta, s)} |`,
    `| ${level}, ${report.ci_bootstrap ? `paired bootstrap ${report.ci_bootstrap.method === "bca" ? "BCa" : "percentile"}${report.ci_bootstrap.level === "cluster" ? ", clustered" : ""}` : "analytic"} | ${interval(headlineCi(report), s)} |`,
    `| ${level}, analytic | ${interval(report.ci_analytic, s)} |`,
    `| p (${report.p_value?.method.replaceAll("_", " ") ?? "–"}) | ${pValue(report.p_value?.value ?? null)} |`,
    `| MDE (80% power) | ${num(report.clustered?.mde ?? report.mde, s)} |`,
    `| questions shared / only candidate / only baseline / mismatched | ${report.n_shared} / ${report.n_only_candidate} / ${report.n_only_baseline} / ${report.n_mismatched} |`,
  ];
  if (report.per_task.length > 1 && report.n_shared > 0) {
    lines.push("", `| task | n | candidate | baseline | Δ | ${level} | p (Holm) |`, "|---|---|---|---|---|---|---|");
    for (const r of inTableOrder(report.per_task)) {
      lines.push(`| ${markdownText(taskLabel(r.task, r.subtask))} | ${r.n_shared} | ${num(r.mean_candidate, s)} | ${num(r.mean_baseline, s)} | ${num(r.delta, s)} | ${interval(headlineCi(r), s)} | ${pValue(r.p_holm)} |`);
    }
  }
  lines.push("", `seed ${report.settings.seed}, ${report.settings.B} bootstrap resamples${report.warnings.length ? `; warnings: ${warningsText(report.warnings)}` : ""}`);
  // pointy brackets hold any URL the browser shows (it percent-encodes <, > and spaces)
  if (link) lines.push("", `[Open this comparison](<${link}>)`);
  return lines.join("\n");
}
