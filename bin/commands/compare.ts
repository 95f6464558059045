import { markdownSummary } from "@/lib/compare/markdown";
import { DEFAULT_SETTINGS } from "@/lib/compare/settings";
import { resolveWorkspace } from "@/lib/workspace/paths";
import { compareText } from "../format";
import { positiveInt, WORKSPACE_HELP, type Register } from "./options";
import { print, printError } from "../output";

/** `evalbench compare` */
export const registerCompare: Register = (program) => {
  program
    .command("compare")
    .description("compare a candidate run against a baseline run question by question (differences are candidate − baseline)")
    .argument("<candidate>", "run id of the candidate (usually the newer checkpoint)")
    .argument("<baseline>", "run id of the baseline it is measured against")
    .option("-w, --workspace <dir>", WORKSPACE_HELP)
    .option("--task <task>", "restrict to one task (task or task/subtask)")
    .option("--metric <metric>", "metric to compare (default: the runs' primary metric)")
    .option("--json", "print one JSON object")
    .option("--markdown", "print a Markdown summary for a code review")
    .option("--seed <n>", "seed of the bootstrap and Monte Carlo", positiveInt, DEFAULT_SETTINGS.seed)
    .option("--bootstrap <resamples>", "bootstrap resamples", positiveInt, DEFAULT_SETTINGS.B)
    .option("--fail-if-worse", "exit 1 when the candidate is significantly worse than the baseline (for CI gates)")
    .action(async (candidateId: string, baselineId: string, options: { workspace?: string; task?: string; metric?: string; json?: boolean; markdown?: boolean; seed: number; bootstrap: number; failIfWorse?: boolean }) => {
      const [{ alignRunsOnDisk, requireRun }, { inScope }, { compareReport }] = await Promise.all([import("@/lib/compare/load-node"), import("@/lib/compare/questions"), import("@/lib/compare/report")]);
      const workspace = resolveWorkspace(options.workspace);
      if (candidateId === baselineId) throw new Error(`the candidate and the baseline are the same run (${candidateId}); compare two different runs`);
      const a = await requireRun(workspace, candidateId);
      const b = await requireRun(workspace, baselineId);
      if (a.primary_metric !== b.primary_metric && !options.metric) {
        throw new Error(`the runs' primary metrics differ (${a.primary_metric} vs ${b.primary_metric}); name one with --metric`);
      }
      const metric = options.metric ?? a.primary_metric;
      const [task, subtask] = (options.task ?? "").split("/");
      const { rows, acrossTasks } = await alignRunsOnDisk(workspace, a, b, metric);
      const report = compareReport(rows, { task: task || null, subtask: subtask || null }, { ...DEFAULT_SETTINGS, seed: options.seed, B: options.bootstrap }, "final", acrossTasks);
      if (!rows.some((row) => inScope(row, report.scope))) {
        throw new Error(options.task ? `no questions of task ${options.task} in either run` : "neither run has any records");
      }
      const unfinished = [a, b].filter((m) => m.status !== "complete").map((m) => `${m.run_id} is ${m.status}: comparing the ${m.counts.done} records it has`);
      for (const note of unfinished) printError(`evalbench: note: ${note}`);
      const label = (m: typeof a) => ({ run_id: m.run_id, label: [m.model.name, m.model.checkpoint, m.task.name].filter(Boolean).join(" ") });
      if (options.json) print(JSON.stringify({ candidate: a.run_id, baseline: b.run_id, metric, ...report }, null, 2));
      else if (options.markdown) print(markdownSummary(report, label(a), label(b)));
      else print(compareText(report, label(a).label, label(b).label));
      if (options.failIfWorse && report.verdict.direction === "worse") process.exitCode = 1;
    });
};
