import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { FORMATS, importPaths, type ImportOptions, type ImportResult } from "@/lib/importers";
import { SchemaValidationError } from "@/lib/schema";
import { Needs } from "@/lib/sandbox/capabilities";
import { openSandboxes, planPools } from "@/lib/sandbox/planner";
import { runProcess } from "@/lib/sandbox/spawn";
import { DEFAULT_LIMITS, describeFailure, type ExecResult, type Limits } from "@/lib/sandbox/types";
import { ExecutorName } from "./harness";
import { offeredExecutors } from "./sandboxes";

/**
 * Where the command runs when it runs in a sandbox: the executors offered (the first that has what
 * it declares serves it), the image of the container executors, what it needs (network off unless
 * declared), and its limits.
 */
const ExternalSandbox = z
  .object({
    executors: z.array(ExecutorName).min(1).default(["bwrap", "docker", "podman"]),
    image: z.string().min(1).default("python:3.12-slim"),
    /** A named environment the executor must offer: the image for the container executors, one of `environments` for bwrap. */
    environment: z.string().min(1).nullable().default(null),
    /** bwrap's named environments: name -> host folder (a virtualenv, a checkout), bound read-only at the same path. */
    environments: z.record(z.string().min(1), z.string().refine((p) => path.isAbsolute(p), "must be an absolute path")).default({}),
    python: z.boolean().default(false),
    shell: z.boolean().default(false),
    /** "internet" shares the host's network, e.g. for a model server on the host's loopback. */
    network: z.enum(["none", "internet"]).default("none"),
    memory_mb: z.number().int().min(16).default(4096),
    processes: z.number().int().min(1).default(256),
    file_mb: z.number().int().min(1).default(1024),
    disk_mb: z.number().int().min(1).default(2048),
  })
  .strict();

/**
 * An existing benchmark's own command, run as it is, whose output is imported into the schema so
 * its scores sit beside native runs. `{output}` in the command is replaced by a fresh folder the
 * command writes its results to (also given as EVALBENCH_OUTPUT); `{name}` by the value given for
 * name. With `sandbox`, the command runs in a sandbox over a copy of `cwd`, not on the host.
 */
export const ExternalEvalConfig = z
  .object({
    command: z.array(z.string().min(1)).min(1),
    cwd: z.string().min(1).nullable().default(null),
    /** The importer that reads what the command writes (see docs/importing.md). */
    format: z.enum(FORMATS),
    timeout_ms: z.number().int().positive().default(6 * 60 * 60 * 1000),
    sandbox: ExternalSandbox.nullable().default(null),
  })
  .strict();
export type ExternalEvalConfig = z.infer<typeof ExternalEvalConfig>;
export type ExternalEvalInput = z.input<typeof ExternalEvalConfig>;

/** The table importer's mapping (docs/importing.md): SQL over the output's columns. */
const TableMapping = z
  .object({ id: z.string().min(1), score: z.string().min(1), metric: z.string().min(1).optional(), response: z.string().optional(), target: z.string().optional(), prompt: z.string().optional(), subtask: z.string().optional(), cluster: z.string().optional(), rows: z.string().optional() })
  .strict();

/**
 * An ExternalEval definition file (`evalbench external FILE`): the command and how its output maps
 * into the schema (task name, table mapping). Which checkpoint it evaluates is given per run.
 */
export const ExternalEvalDefinition = ExternalEvalConfig.extend({
  task: z.string().min(1).nullable().default(null),
  table: TableMapping.nullable().default(null),
}).strict();
export type ExternalEvalDefinition = z.infer<typeof ExternalEvalDefinition>;

/** Reads a definition file; its `cwd` is relative to the file's folder. */
export function readExternalEval(file: string): ExternalEvalDefinition {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`cannot read the ExternalEval definition ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const parsed = ExternalEvalDefinition.safeParse(json);
  if (!parsed.success) throw new SchemaValidationError(`the ExternalEval definition ${file}`, parsed.error);
  const definition = parsed.data;
  const cwd = definition.cwd === null ? path.dirname(path.resolve(file)) : path.resolve(path.dirname(file), definition.cwd);
  if (!fs.statSync(cwd, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`the ExternalEval definition ${file}: cwd ${cwd} is not a folder`);
  return { ...definition, cwd };
}

export interface ExternalEvalResult extends ImportResult {
  /** The folder the results were imported from (kept: it is the source of the runs). */
  output: string;
}

const TAIL = 4000;
const OUTPUT_BYTES = 16 * 1024 * 1024;
/** The output folder inside a sandbox, relative to its work folder. */
const SANDBOX_OUTPUT = "evalbench-output";

/** `{output}` and `{name}` placeholders replaced; other braces (code, JSON) are left as they are. */
function expand(command: readonly string[], values: Record<string, string>): string[] {
  return command.map((arg) => Object.entries(values).reduce((text, [name, value]) => text.replaceAll(`{${name}}`, value), arg));
}

export interface ExternalEvalRunOptions {
  /** Values of `{name}` placeholders in the command. */
  vars?: Record<string, string>;
  /** Aborting kills the command (and its sandbox); nothing is imported. */
  signal?: AbortSignal;
}

/** The command's outcome as an error when it did not succeed; nothing is imported then. */
function checkOutcome(argv: readonly string[], config: ExternalEvalConfig, result: ExecResult, signal?: AbortSignal): void {
  const shown = argv.join(" ");
  if (signal?.aborted) throw new Error(`${shown} was cancelled; nothing was imported`);
  if (result.failure === "timeout") throw new Error(`${shown} did not finish within ${config.timeout_ms} ms; raise timeout_ms`);
  const tail = `Its output ends:\n${(result.stdout + result.stderr).slice(-TAIL)}`;
  if (result.failure !== null) throw new Error(`${shown} ${describeFailure(result)}; nothing was imported. ${tail}`);
  if (result.exit_code !== 0) throw new Error(`${shown} failed (exit ${result.exit_code ?? result.signal}); nothing was imported. ${tail}`);
}

/** Runs the command on the host (a trusted command of the user's own), writing to `output`. */
async function onHost(config: ExternalEvalConfig, { vars, signal }: ExternalEvalRunOptions, output: string): Promise<void> {
  const argv = expand(config.command, { ...vars, output });
  const limits = { ...DEFAULT_LIMITS, timeout_ms: config.timeout_ms, output_bytes: OUTPUT_BYTES };
  const result = await runProcess(argv, { limits, signal, cwd: config.cwd ?? undefined, env: { ...process.env, EVALBENCH_OUTPUT: output } }).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot start ${argv[0]}: ${error.code ?? error.message}; is it installed and on PATH?`);
  });
  checkOutcome(argv, config, { ...result, limits }, signal);
}

/**
 * Runs the command in a sandbox routed by what it declares: `cwd` is copied into the work folder,
 * the command runs there, and its output folder is copied out (files and folders only).
 */
async function inSandbox(config: ExternalEvalConfig, sandbox: z.infer<typeof ExternalSandbox>, { vars, signal }: ExternalEvalRunOptions, output: string): Promise<void> {
  const needs = Needs.parse({ python: sandbox.python, shell: sandbox.shell, network: sandbox.network, environment: sandbox.environment, untrusted: true });
  const limits: Limits = { ...DEFAULT_LIMITS, timeout_ms: config.timeout_ms, memory_mb: sandbox.memory_mb, processes: sandbox.processes, file_mb: sandbox.file_mb, disk_mb: sandbox.disk_mb, output_bytes: OUTPUT_BYTES };
  const offered = offeredExecutors({ executors: sandbox.executors, image: sandbox.image, timeout_ms: limits.timeout_ms, memory_mb: limits.memory_mb, processes: limits.processes, disk_mb: limits.disk_mb }, sandbox);
  const router = await openSandboxes(planPools([{ by: "the external eval", needs, requests: 1 }], offered, 1));
  try {
    const lease = await router.acquire(needs, signal);
    try {
      if (config.cwd !== null) await lease.putFiles(config.cwd, ".");
      const inside = path.posix.join(lease.workdir, SANDBOX_OUTPUT);
      const made = await lease.exec({ argv: ["mkdir", "-p", inside] });
      if (made.exit_code !== 0) throw new Error(`cannot make the output folder in the sandbox: ${made.stderr.trim() || `exit ${made.exit_code}`}`);
      const argv = expand(config.command, { ...vars, output: inside });
      const result = await lease.exec({ argv: ["env", `EVALBENCH_OUTPUT=${inside}`, ...argv], limits }, signal);
      // env's 127: the command is not in the sandbox.
      if (result.exit_code === 127 && /No such file or directory/.test(result.stderr)) throw new Error(`cannot start ${argv[0]} in the ${router.route(needs).executor.name} sandbox: it is not there (${result.stderr.trim()}); use a program of the sandbox's system or image, copy it in with cwd, or bind its folder as a named environment`);
      checkOutcome(argv, config, result, signal);
      await lease.takeFiles(SANDBOX_OUTPUT, output);
    } finally {
      await lease.release();
    }
  } finally {
    await router.close();
  }
}

/**
 * Runs the command (on the host, or in a sandbox when the config asks for one), then imports its
 * output folder with the format's importer. A failing command is an error carrying the end of its
 * output; nothing is imported then.
 */
export async function runExternalEval(workspace: string, input: ExternalEvalInput, importOptions: Omit<ImportOptions, "format"> = {}, run: ExternalEvalRunOptions = {}): Promise<ExternalEvalResult> {
  const config = ExternalEvalConfig.parse(input);
  const output = await fs.promises.mkdtemp(path.join(os.tmpdir(), "evalbench-external-"));
  if (config.sandbox === null) await onHost(config, run, output);
  else await inSandbox(config, config.sandbox, run, output);
  const imported = await importPaths(workspace, [output], { ...importOptions, format: config.format });
  return { ...imported, output };
}
