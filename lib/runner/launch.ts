import path from "node:path";
import { z } from "zod";
import type OpenAI from "openai";
import type { Progress } from "./execute";
import { resolveHarness, type HarnessConfig, type ResolvedHarness } from "./harness";
import { splitOverrides } from "./overrides";
import { planTask, type TaskPlan } from "./plan";
import { CachedProvider, RequestCache } from "./providers/cache";
import { checkEndpoint } from "./providers/health";
import { probeEndpoint, type Capabilities } from "./providers/probe";
import { openaiClient, OpenAICompatibleProvider } from "./providers/openai";
import type { Provider } from "./providers/types";
import { resolveTask, taskNames } from "./registry";
import { endpointGap } from "./requirements";
import { runIdFor, runTask, type ModelLabel, type RunOutcome } from "./run";
import { openSandboxes, type PoolPlan } from "@/lib/sandbox/planner";
import { planRunSandboxes } from "./sandboxes";
import type { Judge } from "./scorers/judge";
import { expandSpecs } from "./suites";
import { localWorkspace } from "@/lib/workspace/s3/local";
import "./tasks";
import "./tools/builtin";

/**
 * Everything `evalbench run` needs, as one validated object: the CLI parses its flags into it,
 * and the app (issue 6) builds the same object to launch a run as a child process.
 */
export const RunConfig = z
  .object({
    /** Task specs (`gsm8k`, `mmlu:rc`) and suite names. */
    tasks: z.array(z.string().min(1)).min(1, "name at least one task or suite with -t"),
    model: z.object({
      /** `openai:http://host:port/v1` or the bare base URL. */
      endpoint: z.string().min(1),
      served_model: z.string().min(1).nullable().default(null),
      name: z.string().min(1).nullable().default(null),
      checkpoint: z.string().min(1).nullable().default(null),
      step: z.number().int().nonnegative().nullable().default(null),
      /** Name of the environment variable holding the API key; the key itself is never stored. */
      api_key_env: z.string().min(1).default("OPENAI_API_KEY"),
    }),
    harness: z.string().min(1).default("default"),
    harness_file: z.string().min(1).nullable().default(null),
    /** `key=value` task overrides; `harness.key=value` harness overrides. */
    overrides: z.array(z.string()).default([]),
    /** Local data per task name (`*` = the only task): a file, a folder or a URL. */
    data: z.record(z.string(), z.string().min(1)).default({}),
    limit: z.number().int().positive().nullable().default(null),
    concurrency: z.number().int().positive().nullable().default(null),
    resume: z.boolean().default(false),
    dry_run: z.boolean().default(false),
    /** With dry_run: also ask the endpoint for its models (GET /models); still no question is sent. */
    check_endpoint: z.boolean().default(false),
    seed: z.number().int().nonnegative().default(1234),
    workspace: z.string().min(1),
    tags: z.array(z.string()).default([]),
    experiment: z.string().nullable().default(null),
    /** A re-run with the same flags: attempt 2 and up get their own run ids (`<run id>-r2`). */
    attempt: z.number().int().min(2).nullable().default(null),
    /**
     * A model server started for this run (`--serve`): the command with {port} and {checkpoint},
     * the checkpoint it is given (a path or a hub id; the run's checkpoint label is its last part),
     * and how long it may take to answer.
     */
    serve: z
      .object({
        command: z.string().min(1),
        checkpoint: z.string().min(1).nullable().default(null),
        timeout_s: z.number().int().positive().default(600),
        /** The harness preset's serve: a child's command line names the preset (-H, --harness-file), not the command. */
        preset: z.boolean().default(false),
      })
      .strict()
      .nullable()
      .default(null),
  })
  .strict();
export type RunConfig = z.infer<typeof RunConfig>;
export type RunConfigInput = z.input<typeof RunConfig>;

export interface Endpoint {
  provider: "openai";
  baseURL: string;
  /** As stored and shown: no credentials, no query string. */
  shown: string;
}

/** `openai:http://127.0.0.1:8000/v1` or `http://...`: the provider and the base URL. */
export function parseEndpoint(model: string): Endpoint {
  const match = /^(?:(\w+):)?(https?:\/\/.+)$/.exec(model);
  if (!match) throw new Error(`-m ${model} is not an endpoint; use openai:http://HOST:PORT/v1 (any OpenAI-compatible server)`);
  const [, provider = "openai", url] = match;
  if (provider !== "openai") throw new Error(`-m ${model}: unknown provider ${provider}; the provider is openai (any OpenAI-compatible server)`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`-m ${model}: ${url} is not a valid URL`);
  }
  if (parsed.username || parsed.password || parsed.search) {
    throw new Error(`-m must not carry credentials or a query string (they would end up in logs); put the key in an environment variable and name it with --api-key-env`);
  }
  const shown = `${parsed.origin}${parsed.pathname.replace(/\/$/, "")}`;
  return { provider: "openai", baseURL: shown, shown };
}

export interface PlannedRun {
  plan: TaskPlan;
  suite: string | null;
  data: string | null;
}

export interface Prepared {
  harness: ResolvedHarness;
  runs: PlannedRun[];
  endpoint: Endpoint;
  /** Sandbox pools the run needs (none for a run that only asks questions). */
  sandboxes: PoolPlan[];
}

/** Resolves tasks, suites, harness and overrides and plans every task: all before any request is sent. */
export async function prepare(config: RunConfig): Promise<Prepared> {
  const endpoint = parseEndpoint(config.model.endpoint);
  const overrides = splitOverrides(config.overrides);
  const harnessOverrides = config.concurrency === null ? overrides.harness : [...overrides.harness, `concurrency=${config.concurrency}`];
  const harness = resolveHarness(config.harness, config.harness_file, harnessOverrides);
  const specs = expandSpecs(config.tasks, taskNames());
  const named = Object.keys(config.data).filter((k) => k !== "*");
  for (const name of named) if (!specs.some((s) => s.spec.split(":")[0] === name)) throw new Error(`--data ${name}=...: ${name} is not one of the tasks being run (${specs.map((s) => s.spec).join(", ")})`);
  if (config.data["*"] !== undefined && specs.length > 1) throw new Error(`--data PATH is ambiguous with ${specs.length} tasks; name the task: --data ${specs[0].spec.split(":")[0]}=PATH`);
  const cacheDir = path.join(localWorkspace(config.workspace), "cache");
  const runs: PlannedRun[] = [];
  for (const { spec, suite } of specs) {
    const task = resolveTask(spec, overrides.task);
    const data = config.data[task.name] ?? config.data["*"] ?? null;
    const plan = await planTask(task, harness.config, { data, cacheDir, limit: config.limit });
    if (plan.questions.length === 0) throw new Error(`${spec} has no questions to run${plan.malformed.length ? ` (all ${plan.malformed.length} rows were malformed)` : ""}`);
    if (task.config.metrics.includes("judge") && harness.config.judge === null) throw new Error(`${spec} is scored by a judge model; name one in the harness: -o 'harness.auxiliary={"grader":{"endpoint":"http://HOST:PORT/v1","model":"NAME"}}' -o harness.judge=grader`);
    if (harness.config.scaffold === "agent" && task.config.format !== "chat") throw new Error(`${spec} is a completion-format task; the agent scaffold talks over the chat API: add -o format=chat or use a single-turn harness`);
    runs.push({ plan, suite, data });
  }
  // Unknown tools and needs no offered executor meets fail here, before any request.
  const sandboxes = planRunSandboxes(runs.map((r) => r.plan), harness.config);
  return { harness, runs, endpoint, sandboxes };
}

/** The harness's judge as a provider, checked to answer, when some task is scored by a judge. */
async function judgeFor(harness: HarnessConfig, runs: readonly PlannedRun[]): Promise<Judge | null> {
  if (harness.judge === null || !runs.some((r) => r.plan.task.config.metrics.includes("judge"))) return null;
  const aux = harness.auxiliary[harness.judge];
  const endpoint = parseEndpoint(aux.endpoint);
  const client = openaiClient({ baseURL: endpoint.baseURL, apiKey: process.env[aux.api_key_env] ?? null, timeoutMs: harness.timeout_ms });
  const { id: model } = await checkEndpoint(client, endpoint.shown, aux.model);
  return { name: harness.judge, provider: new OpenAICompatibleProvider(client, model, endpoint.shown) };
}

export interface LaunchHooks {
  signal: AbortSignal;
  onStart?: (run: PlannedRun, runId: string) => void;
  onProgress?: (run: PlannedRun, progress: Progress) => void;
  onDone?: (run: PlannedRun, outcome: RunOutcome) => void;
}

export interface Probed {
  client: OpenAI;
  /** The model id requests name. */
  served: string;
  caps: Capabilities;
  /** One message per task the endpoint cannot run, naming the gap and what would work. */
  gaps: string[];
}

/** Checks the endpoint serves the model, then probes what it can do and names every task it cannot run. */
export async function probe(config: RunConfig, prepared: Prepared, signal: AbortSignal): Promise<Probed> {
  const { endpoint, harness } = prepared;
  const apiKey = process.env[config.model.api_key_env] ?? null;
  const client = openaiClient({ baseURL: endpoint.baseURL, apiKey, timeoutMs: harness.config.timeout_ms });
  const served = await checkEndpoint(client, endpoint.shown, config.model.served_model);
  const policy = { maxRetries: harness.config.max_retries, backoffMs: harness.config.backoff_ms };
  const caps = await probeEndpoint(client, endpoint.shown, served.id, served.ownedBy, policy, signal);
  const gaps = prepared.runs.flatMap((run) => endpointGap(run.plan.task, caps) ?? []);
  return { client, served: served.id, caps, gaps };
}

/** Probes the endpoint (a task it cannot run stops everything here), then runs each planned task into its own run, one after another. */
export async function launch(config: RunConfig, prepared: Prepared, hooks: LaunchHooks): Promise<RunOutcome[]> {
  const { endpoint, harness } = prepared;
  const { client, served, gaps } = await probe(config, prepared, hooks.signal);
  if (gaps.length > 0) throw new Error(gaps.join("; "));
  const base: Provider = new OpenAICompatibleProvider(client, served, endpoint.shown);
  const provider = harness.config.cache ? new CachedProvider(base, new RequestCache(path.join(localWorkspace(config.workspace), "cache", "requests"))) : base;
  const model: ModelLabel = { name: config.model.name ?? served, checkpoint: config.model.checkpoint, step: config.model.step, provider: endpoint.provider, endpoint: endpoint.shown };
  const judge = await judgeFor(harness.config, prepared.runs);
  const sandboxes = prepared.sandboxes.length > 0 ? await openSandboxes(prepared.sandboxes) : null;
  const outcomes: RunOutcome[] = [];
  try {
    for (const run of prepared.runs) outcomes.push(await launchOne(run));
  } finally {
    await sandboxes?.close();
  }
  return outcomes;

  async function launchOne(run: PlannedRun): Promise<RunOutcome> {
    const outcome = await runTask({
      workspace: config.workspace,
      plan: run.plan,
      runId: config.attempt === null ? undefined : `${runIdFor(run.plan.task.spec, model, run.plan.task.hash)}-r${config.attempt}`,
      harness,
      provider,
      model,
      suite: run.suite,
      seed: config.seed,
      resume: config.resume,
      signal: hooks.signal,
      tags: config.tags,
      experiment: config.experiment,
      sandboxes,
      judge,
      onProgress: (progress) => hooks.onProgress?.(run, progress),
      onStart: (runId) => hooks.onStart?.(run, runId),
    });
    hooks.onDone?.(run, outcome);
    return outcome;
  }
}
