import fs from "node:fs";
import { z } from "zod";
import { ServeTemplate, serveTemplateProblem } from "@/lib/cluster/serve-template";
import { applyOverrides } from "./overrides";
import { didYouMean } from "./suggest";
import { isPlainObject, mergeConfig } from "./task";

/** Another model the harness can call (a judge, a tool's model), by name. */
const AuxiliaryProvider = z.object({ endpoint: z.string().url(), model: z.string().min(1), api_key_env: z.string().min(1).default("OPENAI_API_KEY") }).strict();

/** Sandbox executors a harness can offer, in order of preference. */
export const ExecutorName = z.enum(["bwrap", "docker", "podman"]);
export type ExecutorName = z.infer<typeof ExecutorName>;

/**
 * Where code runs: the executors offered (each request goes to the first whose capabilities
 * meet its needs; none is started unless a task or tool needs it), the image of the container
 * executors, and the limits of one execution.
 */
const SandboxConfig = z
  .object({
    executors: z.array(ExecutorName),
    image: z.string().min(1),
    timeout_ms: z.number().int().positive(),
    memory_mb: z.number().int().min(16),
    processes: z.number().int().min(1),
    /** All the work folder may hold at once, in megabytes. */
    disk_mb: z.number().int().min(1),
  })
  .strict();

/**
 * The runtime policy, kept out of tasks: which provider, how many requests at once, retries and
 * timeouts, system prompt, the scaffold driving each question (single-turn, or the agent loop with
 * its tools and budget), the sandboxes code runs in, and the judge model. The same task runs
 * under any harness unchanged.
 */
export const HarnessConfig = z
  .object({
    description: z.string(),
    provider: z.enum(["openai"]),
    auxiliary: z.record(z.string(), AuxiliaryProvider),
    concurrency: z.number().int().min(1).max(1024),
    timeout_ms: z.number().int().positive(),
    max_retries: z.number().int().nonnegative(),
    backoff_ms: z.number().nonnegative(),
    system_prompt: z.string().nullable(),
    scaffold: z.enum(["single-turn", "agent"]),
    /** Tools the agent scaffold offers the model, by registered name. */
    tools: z.array(z.string()),
    /** Budget of one agent episode. */
    agent: z.object({ max_turns: z.number().int().positive(), max_tokens: z.number().int().positive() }).strict(),
    sandbox: SandboxConfig,
    /** The auxiliary provider (by name) that judges answers for tasks scored by a judge. */
    judge: z.string().min(1).nullable(),
    /** Answer repeated requests from the workspace's request cache. */
    cache: z.boolean(),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.judge !== null && !(config.judge in config.auxiliary)) ctx.addIssue({ code: "custom", path: ["judge"], message: `judge ${config.judge} is not one of the auxiliary providers (${Object.keys(config.auxiliary).join(", ") || "none"}); add it under auxiliary` });
    if (config.scaffold === "agent" && config.tools.length === 0) ctx.addIssue({ code: "custom", path: ["tools"], message: "the agent scaffold needs at least one tool (e.g. run_python)" });
  });
export type HarnessConfig = z.infer<typeof HarnessConfig>;

const DEFAULT: HarnessConfig = {
  description: "single-turn requests, no system prompt, 32 at once, 5 retries with backoff",
  provider: "openai",
  auxiliary: {},
  concurrency: 32,
  timeout_ms: 120_000,
  max_retries: 5,
  backoff_ms: 500,
  system_prompt: null,
  scaffold: "single-turn",
  tools: [],
  agent: { max_turns: 8, max_tokens: 32_000 },
  sandbox: { executors: ["bwrap", "docker", "podman"], image: "python:3.12-slim", timeout_ms: 10_000, memory_mb: 512, processes: 32, disk_mb: 256 },
  judge: null,
  cache: true,
};

/**
 * Built-in presets, by name. None starts a model server: a serve command depends on the machine
 * (the server's install, GPUs, paths), so `serve` comes from a harness file (docs/cluster.md).
 */
export const HARNESS_PRESETS: Record<string, HarnessConfig> = {
  default: DEFAULT,
  assistant: { ...DEFAULT, description: "as default, with a helpful-assistant system prompt (chat tasks)", system_prompt: "You are a helpful assistant." },
  agent: { ...DEFAULT, description: "tool-calling agent loop: the model may run Python in the sandbox, up to 8 turns and 32k tokens per question", scaffold: "agent", tools: ["run_python"] },
  patient: { ...DEFAULT, description: "for slow or overloaded endpoints: 8 at once, 10-minute timeout, 10 retries", concurrency: 8, timeout_ms: 600_000, max_retries: 10, backoff_ms: 2000 },
};

/**
 * A preset: its HarnessConfig (stored in every run's manifest) and, for presets from a harness
 * file, the model server it starts per checkpoint. `serve` is kept beside the config, not in it:
 * how a checkpoint is served (paths, GPUs, the server's flags) is the machine's business, not the
 * evaluation's, so two runs of one task stay alike whether their server was started by a preset,
 * by --serve or by hand (docs/cluster.md).
 */
export interface HarnessPreset {
  config: HarnessConfig;
  serve: ServeTemplate | null;
}

export interface ResolvedHarness extends HarnessPreset {
  name: string;
}

/** User presets from a JSON file: `{ "name": { ...fields of a preset, based on default, and serve } }`. */
export function readHarnessFile(file: string): Record<string, HarnessPreset> {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`cannot read harness file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (!isPlainObject(json)) throw new Error(`harness file ${file} must hold an object of presets by name`);
  return Object.fromEntries(
    Object.entries(json).map(([name, patch]) => {
      const where = `harness file ${file}: preset ${name}`;
      if (!isPlainObject(patch)) throw new Error(`${where} must be an object`);
      const { serve, ...fields } = patch;
      const parsed = HarnessConfig.safeParse(mergeConfig(DEFAULT, { description: `from ${file}`, ...fields }));
      if (!parsed.success) throw new Error(`${where}: ${issues(parsed.error)}`);
      return [name, { config: parsed.data, serve: serve === undefined ? null : serveOf(serve, where) }];
    }),
  );
}

const issues = (error: z.ZodError) => error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");

/** A preset's `serve`: `{ "command": "... {checkpoint} ... {port}", "timeout_s": 600 }`, or the command alone. */
function serveOf(value: unknown, where: string): ServeTemplate {
  const parsed = ServeTemplate.safeParse(typeof value === "string" ? { command: value } : value);
  if (!parsed.success) throw new Error(`${where}: serve: ${issues(parsed.error)}; write "serve": {"command": "vllm serve {checkpoint} --port {port}", "timeout_s": 600}`);
  const problem = serveTemplateProblem(parsed.data.command);
  if (problem) throw new Error(`${where}: serve '${parsed.data.command}' ${problem}`);
  return parsed.data;
}

/** The built-in presets and those of the harness file, by name. */
export function harnessPresets(file: string | null): Record<string, HarnessPreset> {
  const builtIn = Object.fromEntries(Object.entries(HARNESS_PRESETS).map(([name, config]) => [name, { config, serve: null }]));
  return { ...builtIn, ...(file ? readHarnessFile(file) : {}) };
}

/** `-H name` (built-in or from `--harness-file`), then `-o harness.key=value` overrides. */
export function resolveHarness(name: string, file: string | null, overrides: readonly string[] = []): ResolvedHarness {
  const presets = harnessPresets(file);
  const preset = Object.hasOwn(presets, name) ? presets[name] : undefined;
  if (!preset) throw new Error(`unknown harness ${name}${didYouMean(name, Object.keys(presets))}; presets: ${Object.keys(presets).join(", ")}`);
  return { name, config: applyOverrides(preset.config, HarnessConfig as never, overrides, "harness"), serve: preset.serve };
}
