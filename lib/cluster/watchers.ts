import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { childEnv } from "@/lib/launch/keys";
import { lastError, launcherSettings, type LauncherSettings } from "@/lib/launch/launcher";
import { LaunchValidationError } from "@/lib/launch/request";
import { readManifest } from "@/lib/workspace/manifest-file";
import { runDir } from "@/lib/workspace/paths";
import { clusterRoot, listJobs } from "./jobs";
import { readState, statePath } from "./watch";
import { watchArgs, type WatchRequest } from "./watch-request";
import type { WatcherState, WatcherView } from "./watcher-view";
import { readJsonRecords, writeJsonFile } from "@/lib/workspace/json-file";

/**
 * Watchers started from the launch page: each is an `evalbench watch` child of the server (the
 * CLI's watcher, arguments as an array), recorded in the workspace's watchers/ folder with its
 * log. A watcher ends with the server (its IPC channel closes), and the next server starts it
 * again; the watcher's own state (lib/cluster/watch.ts) makes that exactly once per checkpoint.
 */

export const WATCHERS_DIR = "watchers";

interface WatcherRecord {
  id: string;
  request: WatchRequest;
  args: string[];
  serve: string;
  state: WatcherState;
  created_at: string;
  ended_at: string | null;
  error: string | null;
}

const ACTIVE: readonly WatcherState[] = ["watching", "stopping"];

/** A log's last line, the watcher's latest event: at most this much of it. */
const EVENT_CHARS = 300;

export class Watchers {
  private readonly records = new Map<string, WatcherRecord>();
  private readonly children = new Map<string, ChildProcess>();
  private readonly dir: string;

  constructor(private readonly settings: LauncherSettings) {
    this.dir = path.join(clusterRoot(settings.workspace), WATCHERS_DIR);
    this.load();
  }

  /** Checks a request (every field's problem at once, as LaunchValidationError) and starts its watcher. */
  start(request: WatchRequest): WatcherView {
    const active = [...this.records.values()].filter((r) => ACTIVE.includes(r.state));
    const same = active.find((r) => r.request.folder === request.folder && r.request.pattern === request.pattern);
    if (same) throw new LaunchValidationError({ folder: `a watcher already watches ${request.folder} for ${request.pattern} (started ${same.created_at}); stop it first` });
    if (active.length >= this.settings.maxWatchers) throw new LaunchValidationError({ form: `this server runs at most ${this.settings.maxWatchers} watchers at once (EVALBENCH_MAX_WATCHERS); stop one first` });
    const { args, serve } = watchArgs(request, this.settings);
    const record: WatcherRecord = { id: randomUUID(), request, args, serve, state: "watching", created_at: new Date().toISOString(), ended_at: null, error: null };
    this.records.set(record.id, record);
    this.spawn(record);
    return this.view(record);
  }

  /** Stops a watcher: it takes no new checkpoint, stops a run going on here (resumed by a later start), and leaves Slurm jobs queued. */
  stop(id: string): void {
    const record = this.records.get(id);
    if (!record) throw new Error(`no watcher ${id}`);
    const child = this.children.get(id);
    if (record.state !== "watching" || !child) throw new Error(`the watcher of ${record.request.folder} is ${record.state}; only a watching one can be stopped`);
    record.state = "stopping";
    this.save(record);
    child.kill("SIGTERM");
  }

  /** Every watcher, newest first, with what its state file and log say. */
  list(): WatcherView[] {
    return [...this.records.values()].sort((a, b) => b.created_at.localeCompare(a.created_at)).map((r) => this.view(r));
  }

  private spawn(record: WatcherRecord): void {
    fs.mkdirSync(this.dir, { recursive: true });
    const log = fs.openSync(this.logFile(record), "a");
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, [this.settings.cli, ...record.args], {
        cwd: this.settings.cwd,
        // no API key: the watcher's runs ask the model servers it starts
        env: childEnv(null, "", this.settings.keys) as NodeJS.ProcessEnv,
        // its own process group, and an IPC channel whose closing (the server stopped) stops it
        stdio: ["ignore", log, log, "ipc"],
        detached: true,
      });
    } finally {
      fs.closeSync(log);
    }
    this.children.set(record.id, child);
    this.save(record);
    const ended = (error: string | null) => {
      this.children.delete(record.id);
      const stopped = record.state === "stopping";
      record.state = stopped ? "stopped" : "failed";
      record.error = stopped ? null : error;
      record.ended_at = new Date().toISOString();
      this.save(record);
    };
    child.once("error", (error) => ended(`could not start evalbench watch: ${error.message}`));
    child.once("exit", (code, signal) => ended(lastError(this.logFile(record)) ?? `evalbench watch ${signal ? `was killed by ${signal}` : `exited with status ${code}`}`));
  }

  private view(record: WatcherRecord): WatcherView {
    const { request } = record;
    const counts = { seen: 0, evaluating: 0, evaluated: 0, failed: 0 };
    const errors = record.error ? [record.error] : [];
    const state = readState(statePath(this.settings.workspace, request.folder, request.pattern), request.folder, request.pattern);
    const jobRuns = new Map(listJobs(this.settings.workspace).map((job) => [job.id, job.runs]));
    for (const [folder, entry] of Object.entries(state.checkpoints)) {
      counts.seen++;
      const outcome = entry.status === "submitted" ? this.slurmOutcome(entry.jobs.flatMap((id) => jobRuns.get(id) ?? [])) : entry.status;
      if (outcome === "done") counts.evaluated++;
      else if (outcome === "failed") {
        counts.failed++;
        errors.push(`${path.basename(folder)}: ${entry.error ?? "its run failed; its run page says why"}`);
      } else counts.evaluating++;
    }
    return {
      id: record.id,
      folder: request.folder,
      pattern: request.pattern,
      readyFile: request.ready_file,
      tasks: request.launch.tasks ?? [],
      harness: request.launch.harness ?? "default",
      serve: record.serve,
      executor: request.executor,
      state: record.state,
      createdAt: record.created_at,
      endedAt: record.ended_at,
      counts,
      lastEvent: this.lastLine(record),
      errors,
    };
  }

  /** A Slurm job's checkpoint is evaluated when the runs it opened are complete, failed when one failed. */
  private slurmOutcome(runs: string[]): "done" | "failed" | "evaluating" {
    const statuses = runs.map((id) => {
      try {
        // the job wrote its run here, or into a bucket's local mirror as it uploaded it
        return readManifest(runDir(clusterRoot(this.settings.workspace), id)).status;
      } catch {
        return "running";
      }
    });
    if (statuses.some((s) => s === "failed" || s === "cancelled")) return "failed";
    return statuses.length > 0 && statuses.every((s) => s === "complete") ? "done" : "evaluating";
  }

  private lastLine(record: WatcherRecord): string | null {
    let text: string;
    try {
      text = fs.readFileSync(this.logFile(record), "utf8");
    } catch {
      return null;
    }
    const line = text.split(/[\r\n]+/).map((l) => l.trim()).filter(Boolean).at(-1);
    return line === undefined ? null : line.length > EVENT_CHARS ? `${line.slice(0, EVENT_CHARS)}…` : line;
  }

  private logFile(record: WatcherRecord): string {
    return path.join(this.dir, `${record.id}.log`);
  }

  private save(record: WatcherRecord): void {
    writeJsonFile(path.join(this.dir, `${record.id}.json`), record);
  }

  /** Watchers of an earlier server: those that were watching start again; those being stopped are stopped. */
  private load(): void {
    for (const record of readJsonRecords<WatcherRecord>(this.dir, "watcher")) {
      this.records.set(record.id, record);
      if (record.state === "watching") this.spawn(record);
      else if (record.state === "stopping") {
        record.state = "stopped";
        record.ended_at ??= new Date().toISOString();
        this.save(record);
      }
    }
  }
}

const GLOBAL_KEY = Symbol.for("evalbench.watchers");

/** This server's watchers: one manager per process, created at the server's start (instrumentation.ts) or on first use. */
export function serverWatchers(workspace: string): Watchers {
  const store = globalThis as unknown as Record<symbol, Watchers | undefined>;
  store[GLOBAL_KEY] ??= new Watchers(launcherSettings(workspace));
  return store[GLOBAL_KEY];
}
