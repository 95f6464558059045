import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import fs from "node:fs";
import path from "node:path";
import type { Progress } from "@/lib/runner/execute";
import type { RunConfig } from "@/lib/runner/launch";
import type { RunStatus } from "@/lib/schema";
import { childEnv, CHILD_KEY_ENV, type Env, type KeySource } from "./keys";
import type { LaunchMessage } from "./messages";
import { localWorkspace } from "@/lib/workspace/s3/local";
import { JobQueue } from "./queue";
import { LaunchRequest, LaunchValidationError, runArgs, toRunConfig, type LaunchSite } from "./request";
import { readJsonRecords, writeJsonFile } from "@/lib/workspace/json-file";

export type JobState = "queued" | "running" | "cancelling" | "done" | "failed" | "cancelled" | "stopped";

export interface JobRun {
  runId: string;
  spec: string;
  status: RunStatus;
  progress: Progress | null;
  /** When this process started sending the run's questions (ms since epoch): the rate's origin. */
  startedAt: number;
}

/** One `evalbench run` child: the tasks of one launch request, for one checkpoint. */
export interface Job {
  id: string;
  request: LaunchRequest;
  config: RunConfig;
  resume: boolean;
  attempt: number | null;
  state: JobState;
  createdAt: string;
  endedAt: string | null;
  runs: JobRun[];
  /** Why the job failed or stopped, from the child's last error line. */
  error: string | null;
  /** Hidden from the launches list by the user; kept on disk, so Resume still finds its runs. */
  dismissed?: boolean;
}

/** What "Test endpoint" found: the CLI's dry run with its endpoint check, as it printed it. */
export interface EndpointTest {
  ok: boolean;
  output: string;
  /** The harness preset starts a model server per checkpoint at launch: there was no endpoint to ask yet. */
  served: boolean;
}

/** A test's output kept at most (the plan prints two prompts per task), and how long it may take. */
const TEST_OUTPUT_LIMIT = 64 * 1024;
const TEST_TIMEOUT_MS = 60_000;

export interface LauncherSettings extends LaunchSite {
  harnessFile: string | null;
  /** Runs (child processes) at once; more wait in the queue. */
  maxRuns: number;
  /** Runs waiting in the queue at most; a launch that would pass it is refused. */
  maxQueued: number;
  /** Folder watchers started from the launch page running at once (lib/cluster/watchers.ts). */
  maxWatchers: number;
  keys: KeySource;
  /** The `evalbench` entry point and the folder it runs in. */
  cli: string;
  cwd: string;
}

export const LAUNCHES_DIR = "launches";

const ENDED: readonly JobState[] = ["done", "failed", "cancelled", "stopped"];

/** The settings of this server's launcher, from its environment. */
export function launcherSettings(workspace: string, env: Env = process.env): LauncherSettings {
  const whole = (name: string, fallback: number, what: string) => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name}=${env[name]} is not a whole number of at least 1 (${what})`);
    return value;
  };
  return {
    workspace,
    dataDir: env.EVALBENCH_DATA ? path.resolve(env.EVALBENCH_DATA) : null,
    harnessFile: env.EVALBENCH_HARNESS_FILE ? path.resolve(env.EVALBENCH_HARNESS_FILE) : null,
    maxRuns: whole("EVALBENCH_MAX_RUNS", 2, "runs launched from the app at once"),
    maxQueued: whole("EVALBENCH_MAX_QUEUED", 200, "runs waiting in the launch queue"),
    maxWatchers: whole("EVALBENCH_MAX_WATCHERS", 4, "folder watchers started from the app at once"),
    keys: { env, file: env.EVALBENCH_KEYS_FILE ?? null },
    cli: path.resolve("bin", "evalbench.mjs"),
    cwd: process.cwd(),
  };
}

/** The last `evalbench: ...` line of a child's log: the one-line reason it failed. */
export function lastError(log: string): string | null {
  let text: string;
  try {
    text = fs.readFileSync(log, "utf8");
  } catch {
    return null;
  }
  const lines = text.split("\n").filter((line) => line.startsWith("evalbench: ") && !line.startsWith("evalbench: note:"));
  return lines.at(-1)?.slice("evalbench: ".length) ?? null;
}

/**
 * Starts runs as child processes of the server (`evalbench run`, arguments as an array), queues
 * them under a limit, relays their progress, cancels and resumes them. Jobs are kept in the
 * workspace's launches/ folder with the child's log, so a restarted server still knows how to
 * resume the runs it had started.
 */
export class Launcher {
  readonly events = new EventEmitter();
  private readonly jobs = new Map<string, Job>();
  private readonly children = new Map<string, ChildProcess>();
  private readonly queue: JobQueue<Job>;
  private readonly dir: string;
  private testing = false;

  constructor(private readonly settings: LauncherSettings) {
    this.dir = path.join(localWorkspace(settings.workspace), LAUNCHES_DIR);
    this.queue = new JobQueue(settings.maxRuns, (job) => this.start(job), (job, error) => this.end(job, "failed", (error as Error).message));
    this.events.setMaxListeners(0);
    this.load();
  }

  /** Checks a launch request without queueing it; a bad field throws LaunchValidationError. */
  validate(input: unknown, options: { resume?: boolean; attempt?: number | null } = {}): { request: LaunchRequest; config: RunConfig } {
    const config = toRunConfig(input, this.settings, { ...options, apiKeyEnv: CHILD_KEY_ENV });
    const request = LaunchRequest.parse(input);
    if (config.serve && request.api_key) throw new LaunchValidationError({ api_key: `harness ${request.harness} starts its own model server for the run, which needs no API key: pick none` });
    try {
      childEnv(request.api_key, request.endpoint, this.settings.keys);
    } catch (error) {
      throw new LaunchValidationError({ api_key: (error as Error).message });
    }
    return { request, config };
  }

  /** Refuses `count` more jobs when the queue would hold more than its limit. */
  checkRoom(count: number): void {
    const waiting = this.queue.queued.length;
    if (waiting + count <= this.settings.maxQueued) return;
    throw new LaunchValidationError({
      tasks: `the launch queue holds at most ${this.settings.maxQueued} waiting runs (EVALBENCH_MAX_QUEUED); ${waiting} are waiting and this asks for ${count} more: cancel some or wait for them to start`,
    });
  }

  /** Validates a launch request and queues it. */
  launch(input: unknown, options: { resume?: boolean; attempt?: number | null } = {}): Job {
    this.checkRoom(1);
    const { request, config } = this.validate(input, options);
    const job: Job = { id: randomUUID(), request, config, resume: Boolean(options.resume), attempt: options.attempt ?? null, state: "queued", createdAt: new Date().toISOString(), endedAt: null, runs: [], error: null };
    this.jobs.set(job.id, job);
    this.save(job);
    this.queue.add(job);
    this.changed();
    return job;
  }

  /**
   * Runs `evalbench run --dry-run --check-endpoint` for a request, with the key the launch would
   * get: the endpoint's answer to GET /models and the plan, and no question sent.
   */
  async test(input: unknown): Promise<EndpointTest> {
    const { request, config } = this.validate(input);
    // one at a time: each is a process, and a click should not be able to start a crowd of them
    if (this.testing) return { ok: false, output: "another endpoint test is still running on this server; try again when it has finished", served: false };
    this.testing = true;
    try {
      return await this.runTest(request, config);
    } finally {
      this.testing = false;
    }
  }

  private async runTest(request: LaunchRequest, config: RunConfig): Promise<EndpointTest> {
    // a preset's model server starts only with the run: the plan is printed without asking it
    const check = config.serve ? [] : ["--check-endpoint"];
    const child = spawn(process.execPath, [this.settings.cli, ...runArgs(config), "--dry-run", ...check], {
      cwd: this.settings.cwd,
      env: childEnv(request.api_key, request.endpoint, this.settings.keys) as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
      timeout: TEST_TIMEOUT_MS,
    });
    let output = "";
    const keep = (chunk: Buffer) => {
      if (output.length < TEST_OUTPUT_LIMIT) output += chunk.toString("utf8");
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", resolve);
    });
    const cut = output.length > TEST_OUTPUT_LIMIT ? `${output.slice(0, TEST_OUTPUT_LIMIT)}\n[output cut at ${TEST_OUTPUT_LIMIT / 1024} KB]` : output;
    const served = config.serve !== null;
    if (code === null) return { ok: false, output: `${cut}\nthe test took longer than ${TEST_TIMEOUT_MS / 1000} s and was stopped`, served };
    return { ok: code === 0, output: cut.trimEnd(), served };
  }

  /** Hides ended jobs from the launches list; their records stay, for Resume. */
  dismiss(jobIds: readonly string[]): void {
    for (const id of jobIds) {
      const job = this.get(id);
      if (!ENDED.includes(job.state)) throw new Error(`job ${id} is ${job.state}; cancel it before dismissing it`);
      job.dismissed = true;
      this.save(job);
    }
    this.changed();
  }

  /** Stops a job: a queued one never starts; a running one is signalled and keeps what it recorded. */
  cancel(jobId: string): void {
    const job = this.get(jobId);
    if (this.queue.remove(job)) return this.end(job, "cancelled", null);
    const child = this.children.get(jobId);
    if (!child || job.state !== "running") throw new Error(`job ${jobId} is ${job.state}; only a queued or running job can be cancelled`);
    job.state = "cancelling";
    // the runner stops after the requests in flight and ends its run cancelled
    child.kill("SIGINT");
    this.changed();
  }

  /** The same request again as a new attempt: new run ids, the earlier runs kept. */
  rerun(jobId: string): Job {
    const job = this.get(jobId);
    const same = JSON.stringify(job.request);
    const attempts = [...this.jobs.values()].filter((j) => JSON.stringify(j.request) === same && j.runs.length > 0).map((j) => j.attempt ?? 1);
    return this.launch(job.request, { attempt: attempts.length > 0 ? Math.max(...attempts) + 1 : null });
  }

  /** Finishes an unfinished run with the request that started it. */
  resume(runId: string): Job {
    const job = this.jobForRun(runId);
    if (!job) throw new Error(`run ${runId} was not launched from this app; finish it with evalbench run ... --resume and the flags that started it`);
    if (this.active(runId)) throw new Error(`run ${runId} is still running`);
    return this.launch(job.request, { resume: true, attempt: job.attempt });
  }

  /** The newest job that ran (or resumed) this run. */
  jobForRun(runId: string): Job | null {
    return this.list().find((job) => job.runs.some((run) => run.runId === runId)) ?? null;
  }

  /** True when a job of this server is running this run now. */
  active(runId: string): boolean {
    const job = this.jobForRun(runId);
    return job !== null && !ENDED.includes(job.state);
  }

  /** Every job, newest first. */
  list(): Job[] {
    return [...this.jobs.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  }

  get(jobId: string): Job {
    const job = this.jobs.get(jobId);
    if (!job) throw Object.assign(new Error(`no launch job ${jobId}`), { status: 404 });
    return job;
  }

  private start(job: Job): Promise<void> {
    fs.mkdirSync(this.dir, { recursive: true });
    const log = fs.openSync(this.logFile(job), "a");
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, [this.settings.cli, ...runArgs(job.config)], {
        cwd: this.settings.cwd,
        env: childEnv(job.request.api_key, job.request.endpoint, this.settings.keys) as NodeJS.ProcessEnv,
        stdio: ["ignore", log, log, "ipc"],
        // its own process group: a Ctrl-C meant for the server does not cancel the runs; they see
        // the IPC channel close instead and end interrupted, for Resume
        detached: true,
      });
    } finally {
      fs.closeSync(log);
    }
    job.state = "running";
    this.children.set(job.id, child);
    this.save(job);
    this.changed();
    child.on("message", (message: LaunchMessage) => this.receive(job, message));
    return new Promise((resolve) => {
      child.once("error", (error) => {
        this.children.delete(job.id);
        this.end(job, "failed", `could not start evalbench run: ${error.message}`);
        resolve();
      });
      child.once("exit", (code) => {
        this.children.delete(job.id);
        const cancelled = job.state === "cancelling";
        this.end(job, code === 0 ? "done" : cancelled ? "cancelled" : "failed", code === 0 || cancelled ? null : (lastError(this.logFile(job)) ?? `evalbench run exited with status ${code}`));
        resolve();
      });
    });
  }

  private receive(job: Job, message: LaunchMessage): void {
    if (message.type === "start") {
      job.runs.push({ runId: message.runId, spec: message.spec, status: "running", progress: null, startedAt: Date.now() });
      this.save(job);
    } else {
      const run = job.runs.find((r) => r.runId === message.runId);
      if (!run) return;
      if (message.type === "progress") run.progress = message.progress;
      else {
        run.status = message.status;
        this.save(job);
      }
    }
    this.changed();
  }

  private end(job: Job, state: JobState, error: string | null): void {
    if (ENDED.includes(job.state)) return;
    job.state = state;
    job.error = error;
    job.endedAt = new Date().toISOString();
    // a run the child did not report done ended with the child: cancelled, failed or killed
    const ended: Record<JobState, RunStatus> = { done: "complete", cancelled: "cancelled", stopped: "interrupted", failed: "failed", queued: "failed", running: "failed", cancelling: "cancelled" };
    for (const run of job.runs) if (run.status === "running") run.status = ended[state];
    this.save(job);
    this.changed();
  }

  private changed(): void {
    this.events.emit("change");
  }

  private logFile(job: Job): string {
    return path.join(this.dir, `${job.id}.log`);
  }

  private save(job: Job): void {
    writeJsonFile(path.join(this.dir, `${job.id}.json`), job);
  }

  /** Jobs of an earlier server: any that had not ended stopped with it. */
  private load(): void {
    for (const job of readJsonRecords<Job>(this.dir, "launch")) {
      this.jobs.set(job.id, job);
      if (!ENDED.includes(job.state)) this.end(job, "stopped", "the server stopped before this job ended; its unfinished runs are interrupted, and Resume finishes them");
    }
  }
}

const GLOBAL_KEY = Symbol.for("evalbench.launcher");

/** This server's launcher: one per process, whichever route or action asks first creates it. */
export function serverLauncher(workspace: string): Launcher {
  const store = globalThis as unknown as Record<symbol, Launcher | undefined>;
  store[GLOBAL_KEY] ??= new Launcher(launcherSettings(workspace));
  return store[GLOBAL_KEY];
}
