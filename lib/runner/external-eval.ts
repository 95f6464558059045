import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { FORMATS, importPaths, type ImportOptions, type ImportResult } from "@/lib/importers";
import { runProcess } from "@/lib/sandbox/spawn";
import { DEFAULT_LIMITS } from "@/lib/sandbox/types";

/**
 * An existing benchmark's own command, run as it is, whose output is imported into the schema so
 * its scores sit beside native runs. `{output}` in the command is replaced by a fresh folder the
 * command writes its results to (also given as EVALBENCH_OUTPUT).
 */
export const ExternalEvalConfig = z
  .object({
    command: z.array(z.string().min(1)).min(1),
    cwd: z.string().min(1).nullable().default(null),
    /** The importer that reads what the command writes (see docs/importing.md). */
    format: z.enum(FORMATS),
    timeout_ms: z.number().int().positive().default(6 * 60 * 60 * 1000),
  })
  .strict();
export type ExternalEvalInput = z.input<typeof ExternalEvalConfig>;

export interface ExternalEvalResult extends ImportResult {
  /** The folder the command wrote to (kept: it is the source the runs were imported from). */
  output: string;
}

const TAIL = 4000;

/**
 * Runs the command (a trusted command of the user's own, on the host: it is not model-written
 * code), then imports its output folder with the format's importer. A failing command is an error
 * carrying the end of its output; nothing is imported then.
 */
export async function runExternalEval(workspace: string, input: ExternalEvalInput, importOptions: Omit<ImportOptions, "format"> = {}): Promise<ExternalEvalResult> {
  const config = ExternalEvalConfig.parse(input);
  const output = await fs.promises.mkdtemp(path.join(os.tmpdir(), "evalbench-external-"));
  const argv = config.command.map((arg) => arg.replaceAll("{output}", output));
  const limits = { ...DEFAULT_LIMITS, timeout_ms: config.timeout_ms, output_bytes: 16 * 1024 * 1024 };
  const result = await runProcess(argv, { limits, cwd: config.cwd ?? undefined, env: { ...process.env, EVALBENCH_OUTPUT: output } }).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot start ${argv[0]}: ${error.code ?? error.message}; is it installed and on PATH?`);
  });
  if (result.failure === "timeout") throw new Error(`${argv.join(" ")} did not finish within ${config.timeout_ms} ms; raise timeout_ms`);
  if (result.exit_code !== 0) throw new Error(`${argv.join(" ")} failed (exit ${result.exit_code ?? result.signal}); nothing was imported. Its output ends:\n${(result.stdout + result.stderr).slice(-TAIL)}`);
  const imported = await importPaths(workspace, [output], { ...importOptions, format: config.format });
  return { ...imported, output };
}
