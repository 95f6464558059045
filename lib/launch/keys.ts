import fs from "node:fs";
import { parseEndpoint } from "@/lib/runner/launch";
import { KeyName } from "./request";

/** The environment variable through which the launched `evalbench run` gets its key, and only it. */
export const CHILD_KEY_ENV = "EVALBENCH_LAUNCH_API_KEY";

/** Environment variables a key file may name: `*_API_KEY` only, never any other secret of the server. */
const ENV_KEY = /^[A-Z][A-Z0-9_]*_API_KEY$/;

/** An environment: process.env, or a test's own. */
export type Env = Record<string, string | undefined>;

export interface KeySource {
  env: Env;
  /**
   * `EVALBENCH_KEYS_FILE`, read on the server only: a JSON object of key name to
   * `{"key": "sk-..." | "env": "NAME_API_KEY", "endpoints": ["https://HOST[:PORT]", ...]}`.
   */
  file: string | null;
}

/** A key the form may name, and the endpoint origins it may be sent to. */
export interface OfferedKey {
  name: string;
  endpoints: string[];
}

interface ServerKey extends OfferedKey {
  key: string | undefined;
}

const HOW = 'in EVALBENCH_KEYS_FILE as {"NAME": {"key": "..." or "env": "NAME_API_KEY", "endpoints": ["https://HOST:PORT"]}}';

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * The keys the server holds, each tied to the endpoints it may go to: whoever can launch chooses
 * the endpoint, so a key goes nowhere it was not meant for. An entry without endpoints (or a bare
 * string, the older form) goes to none; environment keys only through an entry naming them.
 */
function serverKeys(source: KeySource): ServerKey[] {
  if (source.file === null) return [];
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(source.file, "utf8"));
  } catch (error) {
    // the message names the file, never its contents
    throw new Error(`cannot read the API key file ${source.file} (EVALBENCH_KEYS_FILE): ${(error as NodeJS.ErrnoException).code ?? "not valid JSON"}`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new Error(`the API key file ${source.file} must hold a JSON object of key name to {key or env, endpoints}`);
  return Object.entries(json).flatMap(([name, entry]): ServerKey[] => {
    if (!KeyName.safeParse(name).success) return [];
    if (typeof entry === "string") return [{ name, key: entry, endpoints: [] }];
    if (typeof entry !== "object" || entry === null) return [];
    const { key, env, endpoints } = entry as { key?: unknown; env?: unknown; endpoints?: unknown };
    const value = typeof key === "string" ? key : typeof env === "string" && ENV_KEY.test(env) ? source.env[env] : undefined;
    const origins = Array.isArray(endpoints) ? endpoints.flatMap((e) => (typeof e === "string" && originOf(e) ? [originOf(e)!] : [])) : [];
    return [{ name, key: value || undefined, endpoints: origins }];
  });
}

/** The keys the launch form offers (those with a key and somewhere to send it): names and endpoints only, the keys stay here. */
export function offeredKeys(source: KeySource): OfferedKey[] {
  return serverKeys(source)
    .filter((k) => k.key && k.endpoints.length > 0)
    .map(({ name, endpoints }) => ({ name, endpoints }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/**
 * The child's environment for a launch naming key `name` (or no key) for `endpoint`: the server's
 * environment with the key, if any, under CHILD_KEY_ENV. Without a key the variable is absent, so
 * a run against an endpoint the form named never carries a key the user did not choose; a key is
 * refused for an endpoint its entry does not list.
 */
export function childEnv(name: string | null, endpoint: string, source: KeySource): Env {
  const env: Env = { ...source.env };
  delete env[CHILD_KEY_ENV];
  if (name === null) return env;
  const entry = serverKeys(source).find((k) => k.name === name && k.key);
  if (!entry) {
    const known = offeredKeys(source).map((k) => k.name);
    throw new Error(`no API key named ${name} on the server; known names: ${known.join(", ") || `none (add keys ${HOW})`}`);
  }
  const origin = originOf(parseEndpoint(endpoint).baseURL);
  if (origin === null || !entry.endpoints.includes(origin)) {
    const allowed = entry.endpoints.length > 0 ? `may be sent only to ${entry.endpoints.join(", ")}` : "may be sent to no endpoint yet";
    throw new Error(`the key ${name} ${allowed}, not to ${origin ?? endpoint}: list the endpoints it may go to ${HOW}`);
  }
  env[CHILD_KEY_ENV] = entry.key;
  return env;
}
