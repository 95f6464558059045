import { WARNING_TEXT } from "@/lib/compare/explain";
import { headlineCi, inTableOrder } from "@/lib/compare/markdown";
import { pairingSentence } from "@/lib/compare/pairing";
import type { CompareReport } from "@/lib/compare/report";
import { scoreWithSe } from "@/lib/format/score";
import type { ListedRun } from "@/lib/catalog/list";
import { taskLabel } from "@/lib/catalog/summary";

/** A fixed-width text table: one header row, then rows, columns padded to their widest cell. */
export function textTable(header: string[], rows: string[][]): string {
  // a loop, not Math.max(...rows): 100,000 rows are more arguments than a call takes
  const widths = header.map((h, i) => rows.reduce((width, r) => Math.max(width, r[i].length), h.length));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/** "0.596 ± 0.016 (1 SE)", as the runs page writes it; with the metric's own n when it differs from `recorded`. */
export function metricText(value: number | null, se: number | null, n: number | null = null, recorded: number | null = null): string {
  return value === null ? "-" : scoreWithSe(value, se, n, recorded);
}

export function catalogTable(runs: readonly ListedRun[]): string {
  const rows = runs.flatMap(({ run_id, status, summary: s, problem }) => {
    if (problem !== null || s === null || status === null) return [];
    return [[
      run_id,
      status,
      taskLabel(s),
      s.model,
      s.checkpoint ?? "-",
      s.step === null ? "-" : String(s.step),
      // the runs page's N: questions recorded
      String(s.n),
      `${s.metric} ${metricText(s.value, s.se, s.metric_n, s.n)}`,
    ]];
  });
  return textTable(["RUN", "STATUS", "TASK", "MODEL", "CHECKPOINT", "STEP", "N", "PRIMARY METRIC"], rows);
}

const points = (x: number | null, scale: number) => (x === null ? "-" : (scale * x).toFixed(scale === 100 ? 2 : 4));
const range = (ci: readonly [number, number] | null, scale: number) => (ci === null ? "-" : `[${points(ci[0], scale)}, ${points(ci[1], scale)}]`);

/** The terminal view of a comparison: verdict, headline figures, one line per task and subtask; differences are candidate − baseline. */
export function compareText(report: CompareReport, candidate: string, baseline: string): string {
  const s = report.scale;
  const boot = report.ci_bootstrap;
  const level = `${Math.round((1 - report.settings.alpha) * 100)}% CI`;
  const pairing = pairingSentence(report.pairing);
  const head = [
    report.verdict.text,
    "",
    `candidate: ${candidate}`,
    `baseline:  ${baseline}`,
    ...(pairing ? [pairing] : []),
    `questions: ${report.n_shared} shared, ${report.n_only_candidate} only in the candidate, ${report.n_only_baseline} only in the baseline, ${report.n_mismatched} mismatched, ${report.n_unscored} unscored`,
    `mean candidate ${points(report.mean_candidate, s)}  mean baseline ${points(report.mean_baseline, s)}  delta (candidate − baseline) ${points(report.delta, s)}${s === 100 ? " points" : ""}`,
    `${level}: bootstrap${boot ? ` (${boot.method === "bca" ? "BCa" : "percentile"}${boot.level === "cluster" ? ", clustered" : ""})` : ""} ${boot ? range([boot.lo, boot.hi], s) : "-"}  analytic ${range(report.ci_analytic, s)}`,
    `p ${report.p_value ? `${report.p_value.value.toPrecision(4)} (${report.p_value.method.replaceAll("_", " ")})` : "-"}  MDE (80% power) ${points(report.clustered?.mde ?? report.mde, s)}  r ${report.r === null ? "-" : report.r.toFixed(3)}`,
    `seed ${report.settings.seed}, ${report.settings.B} bootstrap resamples`,
    ...report.warnings.map((code) => `warning: ${WARNING_TEXT[code]}`),
  ];
  if (report.per_task.length <= 1 || report.n_shared === 0) return head.join("\n");
  const rows = inTableOrder(report.per_task).map((r) => [
    r.subtask ? `  ${r.task}/${r.subtask}` : r.task,
    String(r.n_shared),
    points(r.mean_candidate, s),
    points(r.mean_baseline, s),
    points(r.delta, s),
    range(headlineCi(r), s),
    r.p_value ? r.p_value.value.toPrecision(3) : "-",
    r.p_holm === null ? "-" : r.p_holm.toPrecision(3),
  ]);
  return [...head, "", textTable(["TASK", "N", "CANDIDATE", "BASELINE", "DELTA", level.toUpperCase(), "P", "P HOLM"], rows)].join("\n");
}
