import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { forCheckpoint } from "@/lib/cluster/checkpoint";
import { harnessPresets, resolveHarness, type HarnessPreset } from "@/lib/runner/harness";
import { parseEndpoint, RunConfig, type RunConfigInput } from "@/lib/runner/launch";
import { splitOverrides } from "@/lib/runner/overrides";
import { resolveTask, taskNames } from "@/lib/runner/registry";
import { expandSpecs } from "@/lib/runner/suites";
import "@/lib/runner/tasks";

/*
 * What a browser may ask the server to run. Every field becomes one `--flag=value` argument of
 * `evalbench run` (never a shell line), and names are held to strict patterns on top of that: no
 * path separators, no leading dash or dot, no whitespace or shell characters.
 */

/** A task or suite spec: `gsm8k`, `mmlu:rc`, `core`. */
const TaskSpec = z.string().trim().regex(/^[a-z][a-z0-9_]{0,63}(:[a-z0-9_]{1,63})?$/, "a task or suite is lower-case letters, digits and _ (e.g. gsm8k or mmlu:rc)");

/** Model and checkpoint labels: they end up in run ids, folder names and URLs. */
const Label = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, "use letters, digits, . _ - (no spaces or slashes), starting with a letter or digit");

/**
 * What a preset's model server loads, filled into its {checkpoint}: a folder on the server
 * (`/ckpts/olmo-1b/step1000`) or a hub id (`allenai/OLMo-2-1B`). It reaches the shell only quoted.
 */
const ServedCheckpoint = z
  .string()
  .trim()
  .regex(/^\/?[A-Za-z0-9][A-Za-z0-9._:/-]{0,499}$/, "use letters, digits and . _ : / -, a folder on the server (/ckpts/step1000) or a hub id")
  .refine((c) => !c.split("/").includes(".."), "must not contain ..");

/** A harness preset, by name: one of the server's built-in presets or those of its harness file (checked against them). */
const PresetName = z.string().min(1, "pick a harness preset").max(200);

/** The model id the endpoint serves (`meta-llama/Llama-3.1-8B`, `llama3:8b`): sent in requests only. */
const ServedModel = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$/, "use letters, digits and . _ : / -, starting with a letter or digit")
  .refine((id) => !id.split("/").includes(".."), "must not contain ..");

/** An API key is named, never sent: an environment variable or an entry of the server's key file. */
export const KeyName = z.string().trim().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "a key name is letters, digits and _ (e.g. OPENAI_API_KEY)");

/** Harness fields a browser may change; the sandbox, tools and judge endpoints stay server-side. */
const BROWSER_HARNESS_KEYS = ["concurrency", "timeout_ms", "max_retries", "backoff_ms", "system_prompt", "cache", "agent.max_turns", "agent.max_tokens"];

const Override = z
  .string()
  .trim()
  .max(2000)
  .regex(/^[a-z_][a-z0-9_.]*=[^\n\r\0]*$/, "an override is key=value on one line (e.g. fewshot.n=5 or harness.timeout_ms=60000)")
  .refine((o) => !o.startsWith("data."), "data.* cannot be set from the browser: the server reads task data from its EVALBENCH_DATA folder or the hub")
  .refine((o) => !o.startsWith("harness.") || BROWSER_HARNESS_KEYS.includes(o.slice("harness.".length, o.indexOf("="))), `the browser may override these harness fields only: ${BROWSER_HARNESS_KEYS.map((k) => `harness.${k}`).join(", ")}`);

const Count = z.number().int().positive().max(1_000_000);

/**
 * Where task data comes from: the server's EVALBENCH_DATA folder for the tasks it holds and the
 * hub for the rest ("auto"), that folder only ("local"), or the hub only ("hub"). The browser
 * picks among these; it never names a server path.
 */
export const DATA_CHOICES = ["auto", "local", "hub"] as const;
const DataChoice = z.enum(DATA_CHOICES, { message: `pick where task data comes from: ${DATA_CHOICES.join(", ")}` });

export const LaunchRequest = z
  .object({
    tasks: z.array(TaskSpec).min(1, "pick at least one task or suite").max(64),
    /** Empty when the harness preset starts its own model server. */
    endpoint: z.string().trim().max(500).default(""),
    served_model: ServedModel.nullable().default(null),
    model_name: Label.nullable().default(null),
    /** A label; with a preset that starts a model server, what the server loads. */
    checkpoint: ServedCheckpoint.nullable().default(null),
    step: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).nullable().default(null),
    harness: PresetName.default("default"),
    overrides: z.array(Override).max(64).default([]),
    limit: Count.nullable().default(null),
    concurrency: z.number().int().positive().max(1024).nullable().default(null),
    api_key: KeyName.nullable().default(null),
    data: DataChoice.default("auto"),
  })
  .strict();
export type LaunchRequest = z.infer<typeof LaunchRequest>;
export type LaunchRequestInput = z.input<typeof LaunchRequest>;

/** Where the launch runs: the server's workspace and its folder of local task data. */
export interface LaunchSite {
  workspace: string;
  /** `EVALBENCH_DATA`: a folder per task name (`<dir>/gsm8k`) used instead of the hub. */
  dataDir: string | null;
  /** `EVALBENCH_HARNESS_FILE`: more harness presets, some of which may start a model server. */
  harnessFile?: string | null;
}

/** Problems by form field (`tasks`, `endpoint`, `overrides`, ...), as the form shows them. */
export type FieldErrors = Record<string, string>;

export class LaunchValidationError extends Error {
  constructor(readonly fields: FieldErrors) {
    super(Object.entries(fields).map(([field, message]) => `${field}: ${message}`).join("; "));
    this.name = "LaunchValidationError";
  }
}

export function zodFieldErrors(error: z.ZodError, prefix: (string | number)[] = []): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String([...prefix, ...issue.path][0] ?? "form");
    fields[field] ??= issue.message;
  }
  return fields;
}

/**
 * A LaunchValidationError by shape: an object made by the server's start (instrumentation.ts) is
 * built from another copy of this module than the one a server action imports, so instanceof fails.
 */
export function isValidationError(error: unknown): error is LaunchValidationError {
  return error instanceof Error && error.name === "LaunchValidationError" && "fields" in error;
}

/** Runs a check, turning its error into the message of one form field. */
function check(fields: FieldErrors, field: string, fn: () => void): void {
  try {
    fn();
  } catch (error) {
    fields[field] ??= (error as Error).message;
  }
}

/** Tasks that have a folder in the server's data folder. */
export function localTasks(dataDir: string | null): string[] {
  if (dataDir === null) return [];
  const tasks = taskNames();
  try {
    return fs.readdirSync(dataDir, { withFileTypes: true }).filter((e) => e.isDirectory() && tasks.includes(e.name)).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

/** The local data folders of the tasks a launch runs, as its data choice asks. */
function localData(specs: readonly string[], dataDir: string | null, choice: LaunchRequest["data"]): Record<string, string> {
  if (choice === "hub" || dataDir === null) {
    if (choice === "local") throw new Error("this server has no local data folder (start it with EVALBENCH_DATA=FOLDER); pick the hub or auto");
    return {};
  }
  const names = [...new Set(specs.map((spec) => spec.split(":")[0]))];
  const here = names.filter((name) => fs.existsSync(path.join(dataDir, name)));
  const missing = names.filter((name) => !here.includes(name));
  if (choice === "local" && missing.length > 0) {
    throw new Error(`the data folder ${dataDir} has no ${missing.join(", ")} (it has ${localTasks(dataDir).join(", ") || "no task folders"}); add ${missing.length === 1 ? "it" : "them"}, or pick auto or the hub`);
  }
  return Object.fromEntries(here.map((name) => [name, path.join(dataDir, name)]));
}

/** The endpoint as the form asks for it, a URL: the problem in the form's words, or null. */
export function endpointProblem(endpoint: string): string | null {
  if (!/^(\w+:)?https?:\/\//.test(endpoint)) {
    const hostPort = /^[\w.-]+:\d+(\/.*)?$/.test(endpoint);
    return `${endpoint} is not an endpoint: give the server's base URL, e.g. ${hostPort ? `http://${endpoint.replace(/\/.*$/, "")}/v1` : "http://127.0.0.1:8000/v1"}`;
  }
  try {
    parseEndpoint(endpoint);
    return null;
  } catch (error) {
    // the parser speaks to the CLI (-m, --api-key-env)
    if (/^\w*:?https?:\/\/[^/]*@/.test(endpoint) || endpoint.includes("?")) {
      return "the endpoint must not carry a user, password or query string (they would end up in logs): pick the key in the API key field";
    }
    return (error as Error).message.replace(/^-m \S+: /, `${endpoint}: `).replace(/; the provider is openai.*$/, "; write the URL alone, e.g. http://127.0.0.1:8000/v1");
  }
}

/** Override errors name the CLI's `-o`: in the form the overrides are just lines. */
export function overrideProblem(message: string): string {
  return message.replace(/\(after -o (.*?)\)/, (_, list: string) => `(after ${list.split(" -o ").join(", ")})`).replace(/(^|[\s(])-o '?([^\s']+)'?/g, "$1$2");
}

/**
 * Validates a browser's launch request into the RunConfig the CLI builds from its flags (the same
 * zod schema), checking on the way what can be checked without sending a request: tasks and
 * suites exist, overrides name real keys with valid values, the endpoint is a plain URL. Every
 * field's problem is reported at once, each in the form's words.
 */
export function toRunConfig(input: unknown, site: LaunchSite, extra: { resume?: boolean; attempt?: number | null; apiKeyEnv?: string } = {}): RunConfig {
  const parsed = LaunchRequest.safeParse(input);
  const fields: FieldErrors = parsed.success ? {} : zodFieldErrors(parsed.error);
  // fields that passed the schema are checked further even when others did not
  const field = <K extends keyof LaunchRequest>(name: K): LaunchRequest[K] | undefined => {
    if (fields[name]) return undefined;
    const value = LaunchRequest.shape[name].safeParse((input as Record<string, unknown> | null)?.[name]);
    return value.success ? (value.data as LaunchRequest[K]) : undefined;
  };
  const tasks = field("tasks");
  const overrideList = field("overrides");
  const harness = field("harness");
  const endpoint = field("endpoint");
  const checkpoint = field("checkpoint");
  const harnessFile = site.harnessFile ?? null;
  let preset: HarnessPreset | undefined;
  if (harness) {
    check(fields, "harness", () => {
      const presets = harnessPresets(harnessFile);
      preset = Object.hasOwn(presets, harness) ? presets[harness] : undefined;
      if (!preset) throw new Error(`pick one of the harness presets: ${Object.keys(presets).join(", ")}`);
    });
  }
  // the preset's server, unless the form names an endpoint (as -m does on the command line)
  const serve = preset?.serve && !endpoint ? preset.serve : null;
  let specs: string[] = [];
  if (tasks) {
    check(fields, "tasks", () => {
      specs = expandSpecs(tasks, taskNames()).map((s) => s.spec);
    });
  }
  if (overrideList) {
    const overrides = splitOverrides(overrideList);
    for (const spec of specs) check(fields, "overrides", () => resolveTask(spec, overrides.task));
    if (preset) check(fields, "overrides", () => resolveHarness(harness as string, harnessFile, overrides.harness));
    if (fields.overrides) fields.overrides = overrideProblem(fields.overrides);
  }
  if (serve === null) {
    const problem = endpoint === undefined ? null : endpoint === "" ? "name the endpoint, e.g. http://127.0.0.1:8000/v1 (or pick a harness preset that starts its own model server)" : endpointProblem(endpoint);
    if (problem) fields.endpoint ??= problem;
    // without a server to load it, the checkpoint is only a label: held to the label's rule, whatever the schema said
    const raw = (input as Record<string, unknown> | null)?.checkpoint;
    const label = typeof raw === "string" && raw.trim() !== "" ? Label.safeParse(raw) : null;
    if (label && !label.success) fields.checkpoint = `${label.error.issues[0].message} (a folder or hub id only with a harness preset that starts a model server)`;
  } else if (serve.command.includes("{checkpoint}") && !checkpoint) {
    fields.checkpoint ??= `harness ${harness} starts its model server on {checkpoint}: name the folder (or hub id) it loads, e.g. /ckpts/step1000`;
  }
  const dataChoice = field("data");
  let data: Record<string, string> = {};
  if (dataChoice) check(fields, "data", () => (data = localData(specs, site.dataDir, dataChoice)));
  if (!parsed.success || Object.keys(fields).length > 0) throw new LaunchValidationError(fields);
  const request = parsed.data;
  const config: RunConfigInput = {
    tasks: request.tasks,
    model: {
      // a served run's endpoint is its own server, on the port the run picks when it starts it
      endpoint: serve ? "http://127.0.0.1/v1" : request.endpoint,
      served_model: request.served_model,
      name: request.model_name,
      checkpoint: request.checkpoint,
      step: request.step,
      api_key_env: extra.apiKeyEnv ?? "OPENAI_API_KEY",
    },
    harness: request.harness,
    harness_file: harnessFile,
    overrides: request.overrides,
    data,
    limit: request.limit,
    concurrency: request.concurrency,
    resume: extra.resume ?? false,
    workspace: site.workspace,
    attempt: extra.attempt ?? null,
    serve: serve && { command: serve.command, timeout_s: serve.timeout_s, preset: true },
  };
  const result = RunConfig.safeParse(config);
  if (!result.success) throw new LaunchValidationError(zodFieldErrors(result.error));
  // with a model server, the checkpoint goes to the server and its last part labels the runs, as on the command line
  return serve ? forCheckpoint(result.data, { checkpoint: request.checkpoint, step: request.step, served_model: request.served_model }) : result.data;
}

/**
 * `evalbench run` arguments for a config, one `--flag=value` element each: a value can never be
 * read as another flag, and no shell ever sees them.
 */
export function runArgs(config: RunConfig): string[] {
  const { model } = config;
  const flag = (name: string, value: string | number | null) => (value === null ? [] : [`--${name}=${value}`]);
  return [
    "run",
    ...config.tasks.flatMap((task) => flag("task", task)),
    // a served run's endpoint is the server it starts
    ...(config.serve ? [] : flag("model", model.endpoint)),
    ...flag("served-model", model.served_model),
    ...flag("model-name", model.name),
    ...flag("checkpoint", config.serve?.checkpoint ?? model.checkpoint),
    ...flag("step", model.step),
    ...flag("api-key-env", model.api_key_env),
    ...flag("harness", config.harness),
    ...config.overrides.flatMap((o) => flag("override", o)),
    ...Object.entries(config.data).flatMap(([task, dir]) => flag("data", task === "*" ? dir : `${task}=${dir}`)),
    ...flag("limit", config.limit),
    ...flag("concurrency", config.concurrency),
    ...(config.resume ? ["--resume"] : []),
    ...flag("attempt", config.attempt),
    ...flag("workspace", config.workspace),
    ...flag("harness-file", config.harness_file),
    ...flag("seed", config.seed),
    ...config.tags.flatMap((tag) => flag("tag", tag)),
    ...flag("experiment", config.experiment),
    // a preset's server is found again from the preset by the child, which then says where it came from
    ...(config.serve && !config.serve.preset ? [...flag("serve", config.serve.command), ...flag("serve-timeout", config.serve.timeout_s)] : []),
  ];
}
