import { interval, num, pValue } from "@/lib/series/format";
import { matchesTask, SeriesInputError } from "@/lib/series/lines";
import { resolveWorkspace } from "@/lib/workspace/paths";
import { textTable } from "../format";
import { print } from "../output";
import { WORKSPACE_HELP, type Register } from "./options";

/** `evalbench matrix` */
export const registerMatrix: Register = (program) => {
  program
    .command("matrix")
    .description("every pair of runs of one task, question by question: difference (row minus column), CI, p with Holm over all pairs, MDE")
    .argument("[runs...]", "run ids (default: with --task, the latest checkpoint of each model, or every checkpoint of --model)")
    .option("-w, --workspace <dir>", WORKSPACE_HELP)
    .option("--task <task>", "keep the named runs of this task; with no runs named, the task to take runs of")
    .option("--model <line>", "with no runs named: every checkpoint of this model line (a model name, or experiment=NAME)")
    .option("--metric <metric>", "metric to compare (default: the runs' primary metric)")
    .option("--json", "print one JSON object")
    .action(async (runIds: string[], options: { workspace?: string; task?: string; model?: string; metric?: string; json?: boolean }) => {
      const [{ defaultMatrixRuns }, { matrixReportOnDisk }, { listRuns }] = await Promise.all([import("@/lib/series/matrix"), import("@/lib/series/on-disk"), import("@/lib/catalog/list")]);
      const workspace = resolveWorkspace(options.workspace);
      if (runIds.length === 0 && !options.task) throw new SeriesInputError("name the runs, or a task with --task (and a line with --model)");
      const entries = await listRuns(workspace);
      const manifests = new Map(entries.flatMap((e) => (e.ok ? [[e.run_id, e.manifest] as const] : [])));
      const task = options.task;
      const ids =
        runIds.length === 0
          ? defaultMatrixRuns([...manifests.values()], task!, options.model ?? null).map((m) => m.run_id)
          : runIds.filter((id) => !task || !manifests.has(id) || matchesTask(manifests.get(id)!, task));
      const report = await matrixReportOnDisk(workspace, ids, options.metric ?? null, entries);
      if (options.json) {
        print(JSON.stringify(report, null, 2));
        return;
      }
      const factor = report.scores.every((s) => s.mean === null || (s.mean >= 0 && s.mean <= 1)) ? 100 : 1;
      print(`task ${report.task}, metric ${report.metric}${factor === 100 ? " (points)" : ""}: difference = row minus column, 95% CI, p adjusted by Holm over ${report.pairs.length} pairs`);
      print(
        textTable(
          ["row (A)", "column (B)", "n shared", "delta", "95% CI", "p", "p Holm", "MDE"],
          report.pairs.map((p) => [p.a, p.b, String(p.n_shared), num(p.delta, factor), interval(p.ci, factor), pValue(p.p), pValue(p.p_holm), num(p.mde, factor)]),
        ),
      );
      if (report.unshared > 0) print(`note: ${report.unshared} pairs share no question: no paired difference`);
    });
};
