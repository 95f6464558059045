import type { z } from "zod";
import { didYouMean } from "./suggest";
import { isPlainObject } from "./task";

/** A `-o key=value` the schema refuses: names the key, what is wrong and the valid keys. */
export class OverrideError extends Error {}

/** Dotted paths of every leaf field of a config object, e.g. `sampling.temperature`. */
export function configKeys(config: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(config).flatMap(([key, value]) =>
    isPlainObject(value) && Object.keys(value).length > 0 && !key.endsWith("auxiliary") ? configKeys(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

/** `5` -> 5, `true` -> true, `["a"]` -> ["a"], `null` -> null; anything else stays text. */
function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A `-o key=value` split at its first `=`. */
export function splitOverride(override: string, what: string): [string, string] {
  const eq = override.indexOf("=");
  if (eq <= 0) throw new OverrideError(`${what} override "${override}" is not key=value (e.g. -o fewshot.n=5)`);
  return [override.slice(0, eq).trim(), override.slice(eq + 1)];
}

/**
 * Applies `key=value` overrides to a config and validates the result with its schema. A key the
 * config does not have, or a value the schema refuses, is an error naming the key.
 */
export function applyOverrides<T extends Record<string, unknown>>(config: T, schema: z.ZodType<T>, overrides: readonly string[], what: string): T {
  const keys = configKeys(config);
  const next = structuredClone(config) as Record<string, unknown>;
  for (const override of overrides) {
    const [key, text] = splitOverride(override, what);
    if (!keys.includes(key)) {
      throw new OverrideError(`unknown ${what} key "${key}"${didYouMean(key, keys)}; valid keys: ${keys.join(", ")}`);
    }
    const path = key.split(".");
    let target = next;
    for (const part of path.slice(0, -1)) target = target[part] as Record<string, unknown>;
    const current = target[path[path.length - 1]];
    // A string field keeps its text as typed (so `-o template=5` stays "5"); others parse as JSON.
    target[path[path.length - 1]] = typeof current === "string" ? text : parseValue(text);
  }
  const parsed = schema.safeParse(next);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || what}: ${issue.message}`).join("; ");
    const given = overrides.length > 0 ? ` (after -o ${overrides.join(" -o ")})` : "";
    throw new OverrideError(`invalid ${what} config${given}: ${problems}`);
  }
  return parsed.data;
}

/** `-o harness.key=value` goes to the harness (prefix dropped); every other `-o` to the task. */
export function splitOverrides(overrides: readonly string[]): { task: string[]; harness: string[] } {
  const task: string[] = [];
  const harness: string[] = [];
  for (const override of overrides) {
    if (override.startsWith("harness.")) harness.push(override.slice("harness.".length));
    else task.push(override);
  }
  return { task, harness };
}
