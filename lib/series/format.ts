import type { Interval } from "@/lib/stats";
import type { PairFigures } from "./pairs";
import type { PerTaskRow, SeriesReport } from "./report";

/**
 * Words and numbers of the series report shared by the page, `evalbench series` and the Markdown
 * summary, so all three say the same thing the same way. Scores on a 0-1 scale are shown in
 * points (x 100); any other metric in its own units.
 */

export function scaleOf(report: Pick<SeriesReport, "lines">): { factor: number; unit: string } {
  const unit = report.lines.every((l) => l.points.every((p) => p.mean >= 0 && p.mean <= 1));
  return unit ? { factor: 100, unit: "points" } : { factor: 1, unit: "score units" };
}

export const num = (x: number | null | undefined, factor: number, digits = factor === 100 ? 1 : 3) => (x === null || x === undefined ? "-" : (factor * x).toFixed(digits));
export const interval = (ci: Interval | null | undefined, factor: number) => (ci ? `[${num(ci[0], factor)}, ${num(ci[1], factor)}]` : "-");
export const pValue = (p: number | null | undefined) => (p === null || p === undefined ? "-" : p < 0.0001 ? "< 0.0001" : p.toFixed(4));
export const ratio = (x: number | null | undefined, digits = 2) => (x === null || x === undefined ? "-" : x.toFixed(digits));

/** What a paired change means at 95%: ahead, behind, or no difference this design can detect. */
export function verdictOf(figures: Pick<PairFigures, "ci" | "delta"> | null): "up" | "down" | "within noise" | "unknown" {
  if (!figures || figures.ci === null || figures.delta === null) return "unknown";
  return figures.ci[0] > 0 ? "up" : figures.ci[1] < 0 ? "down" : "within noise";
}

/** The per-task table's cells, in the order of PER_TASK_HEADER. */
export function perTaskCells(row: PerTaskRow, factor: number): string[] {
  const change = row.change_last_k;
  return [
    row.task,
    row.model,
    row.latest ? `${num(row.latest.mean, factor)} ${interval(row.latest.ci, factor)}` : "-",
    change ? `${num(change.delta, factor)} ${interval(change.ci, factor)}` : "-",
    verdictOf(change),
    row.kendall_tau.tau === null ? "-" : `${ratio(row.kendall_tau.tau)} (p ${pValue(row.kendall_tau.p)})`,
    ratio(row.noise, 4),
    ratio(row.signal, 4),
    ratio(row.snr),
  ];
}

export const PER_TASK_HEADER = ["task", "line", "latest (95% CI)", "change over last k (95% CI)", "verdict", "Kendall tau vs step", "noise (rel. SD)", "signal (rel.)", "SNR"];
