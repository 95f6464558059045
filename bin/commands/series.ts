import { interval, num, PER_TASK_HEADER, perTaskCells, pValue, scaleOf } from "@/lib/series/format";
import { seriesMarkdown } from "@/lib/series/markdown";
import { SeriesInputError } from "@/lib/series/lines";
import { seriesReportOnDisk, suiteReportOnDisk } from "@/lib/series/on-disk";
import type { SuiteReport } from "@/lib/series/suite";
import { DEFAULT_K } from "@/lib/series/defaults";
import type { SeriesReport } from "@/lib/series/report";
import { resolveWorkspace } from "@/lib/workspace/paths";
import { InvalidArgumentError } from "commander";
import { textTable } from "../format";
import { WORKSPACE_HELP, type Register } from "./options";

const collect = (value: string, previous: string[]) => [...previous, value];

function kOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 2) throw new InvalidArgumentError("expected a whole number of checkpoints, at least 2");
  return n;
}

function margin(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError("expected a score difference of at least 0");
  return n;
}

/** The terminal view: each line's points, the per-task table, flips and the differences. */
function seriesText(report: SeriesReport): string {
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
function suiteText(report: SuiteReport): string {
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

/** `evalbench series` */
export const registerSeries: Register = (program) => {
  program
    .command("series")
    .description("follow model lines across their checkpoints on one task: scores with CIs, noise, flips, and each line against the first")
    .requiredOption("--model <line>", "a model line: a model name, or experiment=NAME; repeat for more lines (the first is the baseline)", collect, [])
    .option("--task <task>", "the task (name or name:variant)")
    .option("--suite <suite>", "a suite instead of one task: every member task, and the suite's aggregate as a line")
    .option("-w, --workspace <dir>", WORKSPACE_HELP)
    .option("--metric <metric>", "metric to follow (default: the runs' primary metric)")
    .option("--k <k>", "checkpoints the noise and the recent change are measured over", kOption, DEFAULT_K)
    .option("--tie-margin <x>", "for scores that are not 0/1: a question rose or fell only by more than this", margin, 0)
    .option("--json", "print one JSON object")
    .option("--markdown", "print a Markdown summary for a code review")
    .action(async (options: { model: string[]; task?: string; suite?: string; workspace?: string; metric?: string; k: number; tieMargin: number; json?: boolean; markdown?: boolean }) => {
      if (!options.task === !options.suite) throw new SeriesInputError("name one task with --task, or one suite with --suite");
      const workspace = resolveWorkspace(options.workspace);
      if (options.suite && options.metric) throw new SeriesInputError("a suite follows each task's primary metric; --metric goes with --task");
      const report = options.suite
        ? await suiteReportOnDisk(workspace, { lines: options.model, suite: options.suite, k: options.k, tieMargin: options.tieMargin })
        : await seriesReportOnDisk(workspace, { lines: options.model, task: options.task!, metric: options.metric ?? null, k: options.k, tieMargin: options.tieMargin });
      if (options.json) console.log(JSON.stringify(report, null, 2));
      else if (options.markdown) console.log(seriesMarkdown(report));
      else console.log("suite" in report ? suiteText(report) : seriesText(report));
    });
};
