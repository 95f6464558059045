import { markdownText } from "@/lib/format/markdown";
import { interval, num, PER_TASK_HEADER, perTaskCells, pValue, scaleOf } from "./format";
import type { SeriesReport } from "./report";
import type { SuiteReport } from "./suite";

/** What the summary shows of a task's series or a suite's. */
type Summarized = Pick<SeriesReport, "per_task" | "differences" | "lines" | "notes" | "k">;


/**
 * The series summary for a code review: the per-task table with CIs and, per line, the verdict
 * of its change over the last k checkpoints; then the differences against the baseline line.
 */
export function seriesMarkdown(report: SeriesReport | SuiteReport): string {
  return "suite" in report ? summary(report, `suite ${report.suite}`, `each task's primary metric, aggregated by ${report.rule}`) : summary(report, report.task, `metric ${report.metric}`);
}

function summary(report: Summarized, title: string, metric: string): string {
  const { factor, unit } = scaleOf(report);
  const row = (cells: string[]) => `| ${cells.map(markdownText).join(" | ")} |`;
  const out = [
    `**Training-run series: ${markdownText(title)}**, ${markdownText(metric)} (${unit}), 95% CIs; change over the last k = ${report.k} checkpoints is paired, question by question.`,
    "",
    row(PER_TASK_HEADER),
    `|${PER_TASK_HEADER.map(() => "---").join("|")}|`,
    ...report.per_task.map((r) => row(perTaskCells(r, factor))),
  ];
  const latest = new Map<string, (typeof report.differences)[number]>();
  for (const d of report.differences) latest.set(d.model, d);
  if (latest.size > 0) {
    out.push("", `Against the baseline ${markdownText(report.lines[0].model)} at the latest common step:`, "");
    for (const d of latest.values()) {
      out.push(`- ${markdownText(d.model)} at step ${d.step}: ${markdownText(`${num(d.delta, factor)} ${unit} ${interval(d.ci, factor)}, p ${pValue(d.p)}, n ${d.n_shared} shared questions`)}`);
    }
  }
  const notes = [...report.notes, ...report.lines.flatMap((l) => l.notes.map((n) => `${l.model}: ${n}`))];
  if (notes.length > 0) out.push("", ...notes.map((n) => `- ${markdownText(n)}`));
  return out.join("\n");
}
