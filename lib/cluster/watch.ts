import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { CheckpointPoint } from "./checkpoint";
import { CLUSTER_DIR, clusterRoot } from "./jobs";
import { writeJsonFile } from "@/lib/workspace/json-file";

/**
 * The checkpoint watcher: each scan lists DIR's folders matching the pattern, and hands the new
 * ready ones to `evaluate`. Its state (what it handed over, keyed by path and a content marker)
 * is a file in the workspace written before each hand-over, so a restarted watcher evaluates no
 * checkpoint twice.
 */

export interface WatchOptions {
  dir: string;
  /** A glob of folder names: `*` matches anything, `{step}` the step's digits (`step*`, `ckpt-{step}`). */
  pattern: string;
  /** A file the trainer writes last; a folder counts once it holds it. Without it, once its listing stops changing between two scans. */
  readyFile: string | null;
  workspace: string;
}

export type EntryStatus = "submitting" | "submitted" | "running" | "done" | "failed";

export interface WatchEntry {
  step: number;
  marker: string;
  status: EntryStatus;
  /** Slurm job ids, when submitted to Slurm. */
  jobs: string[];
  at: string;
  error: string | null;
}

export interface WatchState {
  dir: string;
  pattern: string;
  checkpoints: Record<string, WatchEntry>;
}

export interface Found {
  path: string;
  name: string;
  step: number;
  marker: string;
}

/** The pattern as a regular expression whose first group is the step. */
export function patternRegex(pattern: string): RegExp {
  if (pattern.includes("/")) throw new Error(`--pattern ${pattern} names folders inside DIR; it cannot hold /`);
  const escaped = pattern.replace(/[.+?^$()|[\]\\]/g, "\\$&");
  const withStep = escaped.includes("{step}") ? escaped.replace("{step}", "(\\d+)").replaceAll("*", ".*") : escaped.replace("*", "(.*)").replaceAll("*", ".*");
  return new RegExp(`^${withStep.replace(/\{/g, "\\{").replace(/\}/g, "\\}")}$`);
}

/** The step of a folder name: what {step} (or the first *) matched when it is a number, else the name's last number. */
export function stepOf(name: string, pattern: string): number {
  const match = patternRegex(pattern).exec(name);
  const captured = match?.[1];
  const digits = captured && /^\d+$/.test(captured) ? captured : /(\d+)(?!.*\d)/.exec(name)?.[1];
  if (digits === undefined) throw new Error(`cannot read a step from the folder name ${name} (pattern ${pattern}); put {step} where the step is, e.g. --pattern 'step{step}'`);
  return Number(digits);
}

/** The watcher's state (and lock) beside the workspace's cluster jobs: a bucket's are in its local mirror, like the folder watched. */
export function statePath(workspace: string, dir: string, pattern: string): string {
  const key = createHash("sha256").update(`${path.resolve(dir)}\0${pattern}`).digest("hex").slice(0, 12);
  return path.join(clusterRoot(workspace), CLUSTER_DIR, "watch", `${key}.json`);
}

export function readState(file: string, dir: string, pattern: string): WatchState {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as WatchState;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { dir: path.resolve(dir), pattern, checkpoints: {} };
    throw new Error(`the watcher's state ${file} is unreadable (${(error as Error).message}); move it away to start over, which evaluates every checkpoint again`);
  }
}

export function writeState(file: string, state: WatchState): void {
  writeJsonFile(file, state);
}

/** A folder's content marker: the ready file's size and time, or its listing's names, sizes and times. */
function markerOf(folder: string, readyFile: string | null): string | null {
  const stat = (file: string) => {
    const s = fs.statSync(file);
    return `${s.size}:${Math.round(s.mtimeMs)}`;
  };
  if (readyFile !== null) return fs.existsSync(path.join(folder, readyFile)) ? `ready ${stat(path.join(folder, readyFile))}` : null;
  const listing = fs.readdirSync(folder).sort().map((name) => `${name} ${stat(path.join(folder, name))}`);
  return createHash("sha256").update(listing.join("\n")).digest("hex").slice(0, 16);
}

/** DIR's folders matching the pattern, ready, with their steps. A missing DIR, or one whose folders all miss the pattern, is an error. */
export function scan(options: WatchOptions): Found[] {
  const regex = patternRegex(options.pattern);
  let names: string[];
  try {
    names = fs.readdirSync(options.dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch (error) {
    throw new Error(`cannot list ${options.dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): name the folder the trainer writes its checkpoints into`);
  }
  const matching = names.filter((name) => regex.test(name)).sort();
  if (names.length > 0 && matching.length === 0) throw new Error(`--pattern ${options.pattern} matches none of the ${names.length} folder(s) in ${options.dir} (${names.slice(0, 5).join(", ")}${names.length > 5 ? ", ..." : ""}); use a pattern such as 'step*' or 'step{step}'`);
  const found: Found[] = [];
  for (const name of matching) {
    const folder = path.join(path.resolve(options.dir), name);
    const marker = markerOf(folder, options.readyFile);
    if (marker !== null) found.push({ path: folder, name, step: stepOf(name, options.pattern), marker });
  }
  return found;
}

export interface WatchEvents {
  /** Evaluates new checkpoints, updating their entries (status, job ids) and saving them with `save`. */
  evaluate: (points: CheckpointPoint[], entries: WatchEntry[], save: () => void) => Promise<void>;
  say: (line: string) => void;
}

/**
 * One scan: folders new since the last one (and, without a ready file, unchanged since it) are
 * recorded as `submitting` before they are handed over, so that a watcher killed in between does
 * not hand them over again. `seen` carries the markers of the previous scan.
 */
export async function watchOnce(options: WatchOptions, file: string, seen: Map<string, string>, events: WatchEvents): Promise<number> {
  const state = readState(file, options.dir, options.pattern);
  const fresh: Found[] = [];
  for (const found of scan(options)) {
    const known = state.checkpoints[found.path];
    const previous = seen.get(found.path);
    seen.set(found.path, found.marker);
    if (known) {
      if (known.marker !== found.marker && previous !== found.marker) events.say(`note: ${found.path} changed after it was handed over for evaluation; it is not evaluated again (a new run would need --attempt)`);
      continue;
    }
    if (options.readyFile === null && previous !== found.marker) continue; // still being written, or just appeared
    fresh.push(found);
  }
  if (fresh.length === 0) return 0;
  const at = new Date().toISOString();
  const entries = fresh.map((f): WatchEntry => ({ step: f.step, marker: f.marker, status: "submitting", jobs: [], at, error: null }));
  fresh.forEach((f, i) => (state.checkpoints[f.path] = entries[i]));
  writeState(file, state);
  for (const f of fresh) events.say(`new checkpoint ${f.path} (step ${f.step})`);
  try {
    await events.evaluate(
      fresh.map((f) => ({ checkpoint: f.path, step: f.step, served_model: null })),
      entries,
      () => writeState(file, state),
    );
  } finally {
    writeState(file, state);
  }
  return fresh.length;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/**
 * One watcher per folder and pattern: two would hand the same checkpoint over twice. The lock is
 * a file beside the state holding the watcher's pid; a dead watcher's lock is taken over. A live
 * one is waited for up to `waitMs` (a restarted app's watcher waits for the previous one to stop
 * the run it was in), then refused.
 */
export async function lockState(file: string, dir: string, waitMs = 30_000): Promise<() => void> {
  const lock = `${file}.lock`;
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: "wx" });
      return () => fs.rmSync(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const pid = Number(fs.readFileSync(lock, "utf8"));
    if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) {
      fs.rmSync(lock, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`another watcher (pid ${pid}) is watching ${dir} with this pattern; stop it first (its lock is ${lock})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
