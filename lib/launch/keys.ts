import fs from "node:fs";
import { KeyName } from "./request";

/** The environment variable through which the launched `evalbench run` gets its key, and only it. */
export const CHILD_KEY_ENV = "EVALBENCH_LAUNCH_API_KEY";

/** Environment variables a form may name: `*_API_KEY` only, never any other secret of the server. */
const ENV_KEY = /^[A-Z][A-Z0-9_]*_API_KEY$/;

/** An environment: process.env, or a test's own. */
export type Env = Record<string, string | undefined>;

export interface KeySource {
  env: Env;
  /** `EVALBENCH_KEYS_FILE`: a JSON object of key name to key, read on the server only. */
  file: string | null;
}

function fileKeys(file: string | null): Record<string, string> {
  if (file === null) return {};
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    // the message names the file, never its contents
    throw new Error(`cannot read the API key file ${file} (EVALBENCH_KEYS_FILE): ${(error as NodeJS.ErrnoException).code ?? "not valid JSON"}`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new Error(`the API key file ${file} must hold a JSON object of key name to key`);
  return Object.fromEntries(Object.entries(json).filter((entry): entry is [string, string] => typeof entry[1] === "string" && KeyName.safeParse(entry[0]).success));
}

/** The key names the launch form offers: names only, the keys stay here. */
export function keyNames(source: KeySource): string[] {
  const fromEnv = Object.keys(source.env).filter((name) => ENV_KEY.test(name) && name !== CHILD_KEY_ENV && source.env[name]);
  return [...new Set([...Object.keys(fileKeys(source.file)), ...fromEnv])].sort();
}

/**
 * The child's environment for a launch naming `name` (or no key): the server's environment with
 * the key, if any, under CHILD_KEY_ENV. Without a key the variable is absent, so a run against an
 * endpoint the form named never carries a key the user did not choose.
 */
export function childEnv(name: string | null, source: KeySource): Env {
  const env: Env = { ...source.env };
  delete env[CHILD_KEY_ENV];
  if (name === null) return env;
  const key = fileKeys(source.file)[name] ?? (ENV_KEY.test(name) ? source.env[name] : undefined);
  if (!key) throw new Error(`no API key named ${name} on the server; known names: ${keyNames(source).join(", ") || "none (set an environment variable ending in _API_KEY, or EVALBENCH_KEYS_FILE)"}`);
  env[CHILD_KEY_ENV] = key;
  return env;
}
