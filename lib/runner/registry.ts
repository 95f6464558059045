import { contentHash } from "@/lib/schema/hash";
import { applyOverrides } from "./overrides";
import { didYouMean } from "./suggest";
import { mergeConfig, TaskConfig, type DeepPartial, type TaskDefinition } from "./task";

interface Variant {
  description: string;
  patch: DeepPartial<TaskConfig>;
}

const tasks = new Map<string, TaskDefinition>();
const variants = new Map<string, Map<string, Variant>>();

/** Adds a task under its name; its config must already be valid. */
export function register(task: TaskDefinition): TaskDefinition {
  if (tasks.has(task.name)) throw new Error(`task ${task.name} is registered twice`);
  const parsed = TaskConfig.safeParse(task.config);
  if (!parsed.success) throw new Error(`task ${task.name} has an invalid config: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  tasks.set(task.name, task);
  variants.set(task.name, new Map());
  return task;
}

/** Adds `task:variant`: the task with part of its config changed (e.g. `gsm8k:8shot`). */
export function registerVariant(taskName: string, variant: string, description: string, patch: DeepPartial<TaskConfig>): void {
  const own = variants.get(taskName);
  if (!own) throw new Error(`cannot add variant ${variant}: task ${taskName} is not registered`);
  if (own.has(variant)) throw new Error(`variant ${taskName}:${variant} is registered twice`);
  own.set(variant, { description, patch: { ...patch, description } });
}

export function taskNames(): string[] {
  return [...tasks.keys()].sort();
}

/** Every `task` and `task:variant` spec, for listings and suggestions. */
export function allSpecs(): string[] {
  return taskNames().flatMap((name) => [name, ...[...(variants.get(name)?.keys() ?? [])].map((v) => `${name}:${v}`)]);
}

export function getTask(name: string): TaskDefinition {
  const task = tasks.get(name);
  if (!task) throw new Error(`unknown task ${name}${didYouMean(name, allSpecs())}; \`evalbench tasks\` lists them`);
  return task;
}

export function variantsOf(name: string): [string, string][] {
  return [...(variants.get(name) ?? new Map<string, Variant>())].map(([variant, v]) => [variant, v.description]);
}

/** A task spec resolved to its definition and final config. */
export interface ResolvedTask {
  definition: TaskDefinition;
  name: string;
  variant: string | null;
  /** `name` or `name:variant` */
  spec: string;
  config: TaskConfig;
  hash: string;
}

/** Hash of the scoring-relevant config: the description is prose, everything else counts. */
export function taskHash(name: string, config: TaskConfig): string {
  return contentHash({ task: name, config: { ...config, description: undefined } });
}

/** `gsm8k`, `gsm8k:8shot`, then `-o key=value` overrides on top. */
export function resolveTask(spec: string, overrides: readonly string[] = []): ResolvedTask {
  const [name, variant = null, ...rest] = spec.split(":");
  if (rest.length > 0 || name === "" || variant === "") throw new Error(`task spec "${spec}" is not name or name:variant`);
  const definition = getTask(name);
  let config = definition.config;
  if (variant !== null) {
    const found = variants.get(name)?.get(variant);
    if (!found) {
      const known = [...(variants.get(name)?.keys() ?? [])];
      throw new Error(`task ${name} has no variant ${variant}${didYouMean(variant, known)}; its variants: ${known.join(", ") || "none"}`);
    }
    config = mergeConfig(config, found.patch);
  }
  config = applyOverrides(config, TaskConfig as never, overrides, "task");
  return { definition, name, variant, spec, config, hash: taskHash(name, config) };
}

/** Rebuilds a task from the config a run stored, for `rescore` (current scorers, same config). */
export function resolveStoredTask(name: string, variant: string | null, stored: Record<string, unknown>): ResolvedTask {
  const definition = getTask(name);
  const parsed = TaskConfig.safeParse(stored);
  if (!parsed.success) throw new Error(`the run's stored config of task ${name} is no longer valid: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return { definition, name, variant, spec: variant ? `${name}:${variant}` : name, config: parsed.data, hash: taskHash(name, parsed.data) };
}
