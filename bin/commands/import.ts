import { InvalidArgumentError } from "commander";
import type { ImportOptions, ImportResult } from "@/lib/importers";
import { FORMATS, type Format } from "@/lib/importers/types";
import { resolveWorkspace } from "@/lib/workspace/paths";
import { metricText, textTable } from "../format";
import { nonNegativeInt, WORKSPACE_HELP, type Register } from "./options";
import { print } from "../output";

interface Flags {
  workspace?: string;
  format?: Format;
  modelName?: string;
  checkpoint?: string;
  step?: number;
  task?: string;
  json?: boolean;
  skipBadRows?: boolean;
  humaneval?: string;
  id?: string;
  score?: string;
  metric?: string;
  response?: string;
  target?: string;
  prompt?: string;
  subtask?: string;
  cluster?: string;
  rows?: string;
}

function format(value: string): Format {
  if (!(FORMATS as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${FORMATS.join(", ")}`);
  return value as Format;
}

function importOptions(flags: Flags): ImportOptions {
  const mapped = flags.id !== undefined || flags.score !== undefined;
  if (mapped && (flags.id === undefined || flags.score === undefined)) throw new Error("a table import needs both --id and --score");
  return {
    format: flags.format,
    modelName: flags.modelName,
    checkpoint: flags.checkpoint,
    step: flags.step,
    task: flags.task,
    skipBadRows: flags.skipBadRows,
    humaneval: flags.humaneval,
    table: mapped
      ? { id: flags.id!, score: flags.score!, metric: flags.metric, response: flags.response, target: flags.target, prompt: flags.prompt, subtask: flags.subtask, cluster: flags.cluster, rows: flags.rows }
      : undefined,
  };
}

/** `evalbench import` */
export const registerImport: Register = (program) => {
  program
    .command("import")
    .description("import other tools' outputs as runs: lm-eval, inspect, olmo-eval, evalplus, or any table mapped by SQL")
    .argument("<paths...>", "files or folders to import")
    .option("-w, --workspace <dir>", WORKSPACE_HELP)
    .option("--format <format>", `one of ${FORMATS.join(", ")} (default: detected from the files)`, format)
    .option("--model-name <name>", "model name (overrides the source's)")
    .option("--checkpoint <label>", "checkpoint label, e.g. step-20000")
    .option("--step <n>", "training step, for ordering checkpoints", nonNegativeInt)
    .option("--task <name>", "task name (overrides the source's; for tables the default is the file name)")
    .option("--skip-bad-rows", "skip rows that cannot be read and report them, instead of failing the import")
    .option("--humaneval <file>", "evalplus: HumanEval JSONL(.gz) to take prompts and reference solutions from")
    .option("--id <sql>", "table: the question id (SQL over the columns), or '#row' for the row position")
    .option("--score <sql>", "table: the score, a number or true/false (SQL), e.g. \"pred = answer\"")
    .option("--metric <name>", "table: name of the metric --score gives", "score")
    .option("--response <sql>", "table: the model's response (SQL)")
    .option("--target <sql>", "table: the gold answer (SQL)")
    .option("--prompt <sql>", "table: the question or prompt (SQL)")
    .option("--subtask <sql>", "table: the subtask, e.g. a category column (SQL)")
    .option("--cluster <sql>", "table: the cluster for clustered standard errors (SQL)")
    .option("--rows <field>", "table: the field of a JSON object that holds the rows (default: its only list)")
    .option("--json", "print {created, existing, skipped_rows} as JSON")
    .action(async (paths: string[], flags: Flags) => {
      const { importPaths } = await import("@/lib/importers");
      printImportResult(await importPaths(resolveWorkspace(flags.workspace), paths, importOptions(flags)), Boolean(flags.json));
    });
};

/** The runs an import created (a table, or JSON with --json), those already there, and skipped rows. */
export function printImportResult(result: ImportResult, json: boolean): void {
  if (json) {
    print(JSON.stringify({ created: result.created.map((m) => m.run_id), existing: result.existing, skipped_rows: result.skipped }, null, 2));
    return;
  }
  const rows = result.created.map((m) => {
    const primary = m.metrics[m.primary_metric];
    const reported = result.reported[m.run_id]?.[m.primary_metric];
    return [m.run_id, m.model.name, m.task.variant ? `${m.task.name}:${m.task.variant}` : m.task.name, String(m.counts.done), `${m.primary_metric} ${metricText(primary?.value ?? null, primary?.se ?? null)}`, reported === undefined ? "-" : metricText(reported, null)];
  });
  if (rows.length > 0) print(textTable(["run", "model", "task", "records", "primary metric", "source reports"], rows));
  print(`imported ${result.created.length} run${result.created.length === 1 ? "" : "s"}`);
  for (const id of result.existing) print(`already imported, left as it is: ${id}`);
  if (result.skipped.length > 0) {
    print(`skipped ${result.skipped.length} bad row${result.skipped.length === 1 ? "" : "s"}:`);
    for (const s of result.skipped.slice(0, 20)) print(`  ${s.file} ${s.where}: ${s.reason}`);
    if (result.skipped.length > 20) print(`  ... and ${result.skipped.length - 20} more (--json lists them all)`);
  }
}
