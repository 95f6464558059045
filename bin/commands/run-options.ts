import { Option, type Command } from "commander";
import type { RunConfig, RunConfigInput } from "@/lib/runner/launch";
import { resolveWorkspace } from "@/lib/workspace/paths";
import type { ServeTemplate } from "@/lib/cluster/serve-template";
import { harnessFileOption } from "./harnesses";
import { nonNegativeInt, positiveInt, WORKSPACE_HELP } from "./options";
import { printError } from "../output";

/** The options of an evaluation that `evalbench run` and `evalbench watch` share, and their RunConfig. */

const collect = (value: string, previous: string[]) => [...previous, value];

/** `--data PATH` (the only task) or `--data TASK=PATH`. */
function dataMap(values: string[]): Record<string, string> {
  return Object.fromEntries(values.map((v) => (/^[a-z][\w]*=/.test(v) ? [v.slice(0, v.indexOf("=")), v.slice(v.indexOf("=") + 1)] : ["*", v])));
}

export interface RunFlags {
  task: string[];
  model?: string;
  servedModel?: string;
  modelName?: string;
  checkpoint?: string;
  step?: number;
  apiKeyEnv: string;
  harness: string;
  harnessFile?: string;
  override: string[];
  data: string[];
  limit?: number;
  concurrency?: number;
  resume?: boolean;
  dryRun?: boolean;
  checkEndpoint?: boolean;
  seed: number;
  workspace?: string;
  tag: string[];
  experiment?: string;
  attempt?: number;
  serve?: string;
  serveTimeout?: number;
  series?: string;
  executor: "local" | "slurm";
  partition?: string;
  gres?: string;
  time?: string;
  account?: string;
  slurmOpt: string[];
}

/** A model server per checkpoint, and where its command came from (said by --dry-run). */
export interface Served {
  serve: ServeTemplate;
  from: string;
}

/**
 * The model server of a run: `--serve` wins; else the harness preset's `serve`, unless `-m` names
 * an endpoint (then nothing is started, and a note says so).
 */
export async function servedBy(flags: RunFlags): Promise<Served | null> {
  const [{ checkServeCommand }, { resolveHarness }] = await Promise.all([import("@/lib/cluster/serve"), import("@/lib/runner/harness")]);
  if (flags.serve) {
    checkServeCommand(flags.serve);
    return { serve: { command: flags.serve, timeout_s: flags.serveTimeout ?? DEFAULT_SERVE_TIMEOUT_S }, from: "--serve" };
  }
  const preset = resolveHarness(flags.harness, flags.harnessFile ?? null).serve;
  if (preset === null) return null;
  if (flags.model) {
    printError(`evalbench: note: -m names the endpoint, so harness preset ${flags.harness}'s serve (${preset.command}) is not started`);
    return null;
  }
  return { serve: { command: preset.command, timeout_s: flags.serveTimeout ?? preset.timeout_s }, from: `harness preset ${flags.harness}` };
}

const DEFAULT_SERVE_TIMEOUT_S = 600;

/** The flags as a RunConfig: the same validated object the app uses to launch a run. With a model server, the endpoint is the server's, on `port`. */
export async function toConfig(flags: RunFlags, served: (Served & { port: number }) | null): Promise<RunConfig> {
  const port = served?.port ?? null;
  const input: RunConfigInput = {
    tasks: flags.task,
    model: {
      endpoint: port === null ? (flags.model ?? "") : `openai:http://127.0.0.1:${port}/v1`,
      served_model: flags.servedModel ?? null,
      name: flags.modelName ?? null,
      checkpoint: flags.checkpoint ?? null,
      step: flags.step ?? null,
      api_key_env: flags.apiKeyEnv,
    },
    harness: flags.harness,
    harness_file: flags.harnessFile ?? null,
    overrides: flags.override,
    data: dataMap(flags.data),
    limit: flags.limit ?? null,
    concurrency: flags.concurrency ?? null,
    resume: Boolean(flags.resume),
    dry_run: Boolean(flags.dryRun),
    check_endpoint: Boolean(flags.checkEndpoint),
    seed: flags.seed,
    workspace: resolveWorkspace(flags.workspace),
    tags: flags.tag,
    experiment: flags.experiment ?? null,
    attempt: flags.attempt ?? null,
    serve: served ? { ...served.serve, checkpoint: flags.checkpoint ?? null, preset: served.from !== "--serve" } : null,
  };
  if (flags.serve && flags.model) throw new Error("--serve starts the model server and evaluates against it; drop -m");
  if (!flags.model && !served) throw new Error("name the endpoint with -m, e.g. -m openai:http://127.0.0.1:8000/v1, or start a server per checkpoint with --serve 'CMD {checkpoint} --port {port}' or a harness preset with serve");
  if (flags.checkEndpoint && !flags.dryRun) throw new Error("--check-endpoint goes with --dry-run (a run checks its endpoint anyway)");
  const [{ RunConfig }, { SchemaValidationError }] = await Promise.all([import("@/lib/runner/launch"), import("@/lib/schema")]);
  const parsed = RunConfig.safeParse(input);
  if (!parsed.success) throw new SchemaValidationError("the run configuration", parsed.error);
  return parsed.data;
}

/** Adds the shared options to a command. */
export function evaluationOptions(command: Command): Command {
  return command
    .option("-t, --task <spec>", "task (gsm8k, mmlu:rc, ...) or suite; repeatable", collect, [])
    .option("--served-model <id>", "model id sent in requests (default: the endpoint's only model)")
    .option("--model-name <name>", "model label of the run (default: the served model id)")
    .option("--api-key-env <NAME>", "environment variable holding the API key (the key is never written anywhere)", "OPENAI_API_KEY")
    .option("-H, --harness <name>", "harness preset (`evalbench harnesses` lists them)", "default")
    .addOption(harnessFileOption())
    .option("-o, --override <key=value>", "override a task field (fewshot.n=5) or a harness field (harness.concurrency=8); repeatable", collect, [])
    .option("--data <path>", "local copy of the data (file, folder or URL) instead of the hub; TASK=PATH with several tasks; repeatable", collect, [])
    .option("--limit <n>", "at most n questions per task (per subtask for tasks with subtasks)", positiveInt)
    .option("--concurrency <n>", "requests in flight at once (overrides the harness)", positiveInt)
    .option("--seed <n>", "seed of the run (sampling seeds)", nonNegativeInt, 1234)
    .option("-w, --workspace <dir>", WORKSPACE_HELP)
    .option("--tag <tag>", "label the runs; repeatable", collect, [])
    .option("--experiment <name>", "group the runs under an experiment name")
    .option("--serve <command>", "start a model server per checkpoint: a shell command with {port} (and {checkpoint}), e.g. 'vllm serve {checkpoint} --port {port}'; -m is then that server. Replaces the harness preset's serve")
    .option("--serve-timeout <s>", "seconds the server may take to answer /v1/models (default: the preset's, else 600)", positiveInt)
    .addOption(new Option("--executor <name>", "where the runs execute: here, or one Slurm job per checkpoint (a job array for a series)").choices(["local", "slurm"]).default("local"))
    .option("--partition <name>", "Slurm partition")
    .option("--gres <spec>", "Slurm generic resources per job, e.g. gpu:1")
    .option("--time <limit>", "Slurm time limit per job, e.g. 2:00:00")
    .option("--account <name>", "Slurm account")
    .option("--slurm-opt <key=value>", "any other sbatch option, as --key=value; repeatable", collect, []);
}
