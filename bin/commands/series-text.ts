import { interval, num, PER_TASK_HEADER, perTaskCells, pValue, scaleOf } from "@/lib/series/format";
import type { SeriesReport } from "@/lib/series/report";
import type { SuiteReport } from "@/lib/series/suite";
import { textTable } from "../format";

/** The terminal view: each line's points, the per-task table, flips and the differences. */
export function seriesText(report: SeriesReport): string {
  const { factor, unit } = scaleOf(report);
  const out = [`task ${report.task}, metric ${report.metric} (${unit}), 95% CIs, noise over the last k = ${report.k} checkpoints`];
  for (const line of report.lines) {
    out.push("", `line ${line.model}${line.x_axis === "checkpoint" ? " (no steps: ordered by checkpoint label)" : ""}`);
    const within = new Map(line.steps.map((s) => [s.run_id, s.within_noise]));
    out.push(
      textTable(
        ["step", "checkpoint", "run", "n", "mean", "95% CI", "change", ""],
        line.points.map((p, i) => [
          p.step === null ? "-" : String(p.step),
          p.checkpoint ?? "-",
          p.run_id,
          String(p.n),
          num(p.mean, factor),
          interval(p.ci, factor) + (p.n_clusters !== null ? ` (clustered, ${p.n_clusters} clusters)` : ""),
          i === 0 ? "" : num(line.steps[i - 1].change, factor),
          [within.get(p.run_id) ? "within noise" : "", p.task_changed ? "task changed" : ""].filter(Boolean).join(", "),
        ]),
      ),
    );
    for (const gap of line.gaps) out.push(`  gap at ${gap.step ?? gap.checkpoint ?? "?"} (${gap.run_id}): ${gap.reason}`);
    if (line.noise.reason) out.push(`  noise: ${line.noise.reason}`);
    for (const note of line.notes) out.push(`  note: ${note}`);
  }
  out.push("", textTable(PER_TASK_HEADER, report.per_task.map((r) => perTaskCells(r, factor))));
  if (report.flips.length > 0) {
    out.push("", textTable(["line", "from", "to", "learned", "forgotten", "p"], report.flips.map((f) => [f.model, String(f.from_step ?? f.from_run_id), String(f.to_step ?? f.to_run_id), String(f.learned ?? "-"), String(f.forgotten ?? "-"), pValue(f.p)])));
  }
  if (report.differences.length > 0) {
    out.push("", `difference against the baseline ${report.lines[0].model} (${unit}):`);
    out.push(textTable(["line", "step", "n shared", "delta", "95% CI", "p"], report.differences.map((d) => [d.model, String(d.step), String(d.n_shared), num(d.delta, factor), interval(d.ci, factor), pValue(d.p)])));
  }
  for (const note of report.notes) out.push(`note: ${note}`);
  return out.join("\n");
}

/** The terminal view of a suite: the per-task table, the aggregate's points, notes. */
export function suiteText(report: SuiteReport): string {
  const { factor, unit } = scaleOf(report);
  const out = [`suite ${report.suite} (${report.rule}) over ${report.tasks.join(", ")}, each task's primary metric (${unit}), 95% CIs, k = ${report.k}`, ""];
  out.push(textTable(PER_TASK_HEADER, report.per_task.map((r) => perTaskCells(r, factor))));
  for (const line of report.lines) {
    out.push("", `aggregate of ${line.model}`);
    out.push(textTable(["step", "mean", "95% CI"], line.points.map((p) => [p.step === null ? "-" : String(p.step), num(p.mean, factor), interval(p.ci, factor)])));
    for (const note of line.notes) out.push(`  note: ${note}`);
  }
  for (const note of report.notes) out.push(`note: ${note}`);
  return out.join("\n");
}
