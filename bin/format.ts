import { headlineCi } from "@/lib/compare/markdown";
import type { CompareReport } from "@/lib/compare/report";
import type { CatalogEntry } from "@/lib/workspace/catalog";

/** A fixed-width text table: one header row, then rows, columns padded to their widest cell. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/** "61.23 ± 1.54" in points, for a metric on a 0-1 scale. */
export function metricText(value: number | null, se: number | null): string {
  if (value === null) return "-";
  return se === null ? (100 * value).toFixed(2) : `${(100 * value).toFixed(2)} ± ${(100 * se).toFixed(2)}`;
}

export function catalogTable(entries: CatalogEntry[]): string {
  const rows = entries.flatMap((entry) => {
    if (!entry.ok) return [];
    const { manifest: m } = entry;
    const primary = m.metrics[m.primary_metric];
    return [[
      m.run_id,
      entry.status,
      m.task.variant ? `${m.task.name}:${m.task.variant}` : m.task.name,
      m.model.name,
      m.model.checkpoint ?? "-",
      m.model.step === null ? "-" : String(m.model.step),
      String(primary?.n ?? m.counts.done),
      `${m.primary_metric} ${metricText(primary?.value ?? null, primary?.se ?? null)}`,
    ]];
  });
  return textTable(["RUN", "STATUS", "TASK", "MODEL", "CHECKPOINT", "STEP", "N", "PRIMARY METRIC"], rows);
}

const points = (x: number | null, scale: number) => (x === null ? "-" : (scale * x).toFixed(scale === 100 ? 2 : 4));
const range = (ci: readonly [number, number] | null, scale: number) => (ci === null ? "-" : `[${points(ci[0], scale)}, ${points(ci[1], scale)}]`);

/** The terminal view of a comparison: verdict, headline figures, one line per task and subtask. */
export function compareText(report: CompareReport, a: string, b: string): string {
  const s = report.scale;
  const boot = report.ci_bootstrap;
  const head = [
    report.verdict.text,
    "",
    `A: ${a}`,
    `B: ${b}`,
    `n shared ${report.n_shared}, only A ${report.n_only_a}, only B ${report.n_only_b}, mismatched ${report.n_mismatched}, unscored ${report.n_unscored}`,
    `mean A ${points(report.mean_a, s)}  mean B ${points(report.mean_b, s)}  delta ${points(report.delta, s)}${s === 100 ? " points" : ""}`,
    `95% CI bootstrap${boot ? ` (${boot.method}, ${boot.level})` : ""} ${boot ? range([boot.lo, boot.hi], s) : "-"}  analytic ${range(report.ci_analytic, s)}`,
    `p ${report.p_value ? `${report.p_value.value.toPrecision(4)} (${report.p_value.method})` : "-"}  MDE ${points(report.clustered?.mde ?? report.mde, s)}  r ${report.r === null ? "-" : report.r.toFixed(3)}`,
    `seed ${report.settings.seed}, B ${report.settings.B}${report.warnings.length ? `, warnings: ${report.warnings.join(" ")}` : ""}`,
  ];
  if (report.per_task.length <= 1) return head.join("\n");
  const rows = report.per_task.map((r) => [
    r.subtask ? `  ${r.task}/${r.subtask}` : r.task,
    String(r.n_shared),
    points(r.mean_a, s),
    points(r.mean_b, s),
    points(r.delta, s),
    range(headlineCi(r), s),
    r.p_value ? r.p_value.value.toPrecision(3) : "-",
    r.p_holm === null ? "-" : r.p_holm.toPrecision(3),
  ]);
  return [...head, "", textTable(["TASK", "N", "A", "B", "DELTA", "95% CI", "P", "P HOLM"], rows)].join("\n");
}
