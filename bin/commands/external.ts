import { InvalidArgumentError } from "commander";
import { resolveWorkspace } from "@/lib/workspace/paths";
import { nonNegativeInt, WORKSPACE_HELP, type Register } from "./options";
import { print } from "../output";

interface Flags {
  workspace?: string;
  modelName?: string;
  checkpoint?: string;
  step?: number;
  task?: string;
  var: Record<string, string>;
  json?: boolean;
}

/** `--var NAME=VALUE`, repeatable, into a map. */
function collectVar(value: string, previous: Record<string, string>): Record<string, string> {
  const match = /^([A-Za-z_]\w*)=(.*)$/s.exec(value);
  if (!match) throw new InvalidArgumentError(`expected NAME=VALUE (replaces {NAME} in the command), got ${value}`);
  return { ...previous, [match[1]]: match[2] };
}

/** `evalbench external` */
export const registerExternal: Register = (program) => {
  program
    .command("external")
    .description("run an existing benchmark's own command (on the host, or in a sandbox when its definition asks) and import its output as a run beside native runs")
    .argument("<definition>", "ExternalEval definition, JSON: {command, format, cwd?, timeout_ms?, sandbox?, task?, table?} (docs/importing.md)")
    .option("-w, --workspace <dir>", WORKSPACE_HELP)
    .option("--var <NAME=VALUE>", "replace {NAME} in the command, e.g. --var endpoint=http://127.0.0.1:8000/v1; repeatable", collectVar, {})
    .option("--model-name <name>", "model name (overrides what the output records)")
    .option("--checkpoint <label>", "checkpoint label, e.g. step-20000")
    .option("--step <n>", "training step, for ordering checkpoints", nonNegativeInt)
    .option("--task <name>", "task name (overrides the definition's and the output's)")
    .option("--json", "print {created, existing, skipped_rows} as JSON")
    .action(async (file: string, flags: Flags) => {
      const [{ readExternalEval, runExternalEval }, { printImportResult }] = await Promise.all([import("@/lib/runner/external-eval"), import("./import")]);
      const { task, table, ...config } = readExternalEval(file);
      const importOptions = { modelName: flags.modelName, checkpoint: flags.checkpoint, step: flags.step, task: flags.task ?? task ?? undefined, table: table ?? undefined };
      const controller = new AbortController();
      // Ctrl-C stops the command (its process group, or its sandbox) rather than leaving it running.
      process.once("SIGINT", () => controller.abort());
      const result = await runExternalEval(resolveWorkspace(flags.workspace), config, importOptions, { vars: flags.var, signal: controller.signal });
      printImportResult(result, Boolean(flags.json));
      if (!flags.json) print(`output kept in ${result.output}`);
    });
};
