import { InvalidArgumentError } from "commander";
import { DEFAULT_K } from "@/lib/series/defaults";
import { SeriesInputError } from "@/lib/series/lines";
import { resolveWorkspace } from "@/lib/workspace/paths";
import { print } from "../output";
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
      const [{ seriesReportOnDisk, suiteReportOnDisk }, { seriesMarkdown }, { seriesText, suiteText }] = await Promise.all([import("@/lib/series/on-disk"), import("@/lib/series/markdown"), import("./series-text")]);
      const workspace = resolveWorkspace(options.workspace);
      if (options.suite && options.metric) throw new SeriesInputError("a suite follows each task's primary metric; --metric goes with --task");
      const report = options.suite
        ? await suiteReportOnDisk(workspace, { lines: options.model, suite: options.suite, k: options.k, tieMargin: options.tieMargin })
        : await seriesReportOnDisk(workspace, { lines: options.model, task: options.task!, metric: options.metric ?? null, k: options.k, tieMargin: options.tieMargin });
      if (options.json) print(JSON.stringify(report, null, 2));
      else if (options.markdown) print(seriesMarkdown(report));
      else print("suite" in report ? suiteText(report) : seriesText(report));
    });
};
