import { markdownCode, markdownText } from "@/lib/format/markdown";
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

/** Rows worth a reviewer's attention: significant after Holm, or the largest moves. */
function rowsThatMatter(rows: PerTaskReport[]): PerTaskReport[] {
  const significant = rows.filter((r) => r.p_holm !== null && r.p_holm < 0.05);
  if (significant.length > 0) return significant;
  return [...rows].sort((x, y) => Math.abs(y.delta ?? 0) - Math.abs(x.delta ?? 0)).slice(0, 5);
}

/**
 * A Markdown summary for a code review: the verdict, the headline numbers, the per-task lines
 * that matter and the link that reopens the same view.
 */
export function markdownSummary(report: CompareReport, a: RunLabel, b: RunLabel, link?: string): string {
  const s = report.scale;
  const unit = s === 100 ? " (points)" : "";
  const lines = [
    `**${report.verdict.text}**`,
    "",
    `A = ${markdownCode(a.label)} vs B = ${markdownCode(b.label)}${report.scope.task ? `, scope ${markdownText(taskLabel(report.scope.task, report.scope.subtask))}` : ""}`,
    "",
    `| | value${unit} |`,
    "|---|---|",
    `| A / B | ${num(report.mean_a, s)} / ${num(report.mean_b, s)} |`,
    `| Δ (A − B) | ${num(report.delta, s)} |`,
    `| 95% CI, ${report.ci_bootstrap ? `paired bootstrap ${report.ci_bootstrap.method === "bca" ? "BCa" : "percentile"}${report.ci_bootstrap.level === "cluster" ? ", clustered" : ""}` : "analytic"} | ${interval(headlineCi(report), s)} |`,
    `| 95% CI, analytic | ${interval(report.ci_analytic, s)} |`,
    `| p (${report.p_value?.method.replaceAll("_", " ") ?? "–"}) | ${pValue(report.p_value?.value ?? null)} |`,
    `| MDE (80% power) | ${num(report.clustered?.mde ?? report.mde, s)} |`,
    `| n shared / only A / only B / mismatched | ${report.n_shared} / ${report.n_only_a} / ${report.n_only_b} / ${report.n_mismatched} |`,
  ];
  const rows = rowsThatMatter(report.per_task);
  if (report.per_task.length > 1 && rows.length > 0) {
    lines.push("", "| task | n | Δ | 95% CI | p (Holm) |", "|---|---|---|---|---|");
    for (const r of rows) {
      lines.push(`| ${markdownText(taskLabel(r.task, r.subtask))} | ${r.n_shared} | ${num(r.delta, s)} | ${interval(headlineCi(r), s)} | ${pValue(r.p_holm)} |`);
    }
  }
  lines.push("", `seed ${report.settings.seed}, B = ${report.settings.B}${report.warnings.length ? `; warnings: ${report.warnings.join(", ")}` : ""}`);
  // pointy brackets hold any URL the browser shows (it percent-encodes <, > and spaces)
  if (link) lines.push("", `[Open this comparison](<${link}>)`);
  return lines.join("\n");
}
