import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { shellQuote } from "./shell";

const exec = promisify(execFile);

/**
 * The Slurm executor: a checkpoint series is one job array (element i runs the i-th `evalbench
 * run` command line), state is read with squeue and then scontrol (no accounting database
 * needed), cancel is scancel. Commands are run with execFile, never through a shell.
 */

/** Where and with what a job runs: `--partition P --gres gpu:1 --time T --account A --slurm-opt K=V`. */
export interface SlurmOptions {
  partition: string | null;
  gres: string | null;
  time: string | null;
  account: string | null;
  /** Further sbatch options as KEY=VALUE (`mem=32G`, `qos=high`), each given as --KEY=VALUE. */
  extra: string[];
}

export const NO_SLURM_OPTIONS: SlurmOptions = { partition: null, gres: null, time: null, account: null, extra: [] };

/** What the app and the CLI show of a job: Slurm's state folded into five, with Slurm's reason. */
export type ClusterState = "queued" | "running" | "done" | "failed" | "cancelled";

export interface JobState {
  state: ClusterState;
  /** Slurm's own state name (PENDING, TIMEOUT, OUT_OF_MEMORY, ...). */
  slurm: string;
  /** Why it waits or how it ended (Priority, Resources, NonZeroExitCode, ...); null when Slurm gives none. */
  reason: string | null;
}

const SLURM_OPT = /^[a-z][a-z-]*=[^\s]+$/;

export function checkSlurmOption(option: string): void {
  if (!SLURM_OPT.test(option)) throw new Error(`--slurm-opt ${option} is not KEY=VALUE with a lower-case sbatch option name and no spaces, e.g. --slurm-opt mem=32G`);
}

export function sbatchFlags(options: SlurmOptions): string[] {
  for (const option of options.extra) checkSlurmOption(option);
  const flag = (name: string, value: string | null) => (value === null ? [] : [`--${name}=${value}`]);
  return [...flag("partition", options.partition), ...flag("gres", options.gres), ...flag("time", options.time), ...flag("account", options.account), ...options.extra.map((o) => `--${o}`)];
}

/** Runs a Slurm client command; a missing command or a refusal is one line saying which, with the options the user chose (`shown`). */
async function slurm(command: string, args: string[], shown: string[] = []): Promise<string> {
  try {
    return (await exec(command, args, { maxBuffer: 16 * 1024 * 1024 })).stdout;
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT") throw new Error(`${command} is not on PATH: --executor slurm needs the Slurm client commands (sbatch, squeue, scontrol, scancel) on this machine; run from a login node of the cluster, or use --executor local`);
    const said = (e.stderr ?? "").trim().split("\n").filter(Boolean).at(-1)?.replace(/^\w+: error: /, "") ?? e.message;
    throw new Error(`${command} failed: ${said}${shown.length > 0 ? ` (with ${shown.join(" ")})` : ""}`);
  }
}

/** One line of a batch script per array element: `i) exec CMD ;;`. */
export function batchScript(commands: readonly string[][]): string {
  const cases = commands.map((argv, i) => `  ${i}) exec ${argv.map(shellQuote).join(" ")} ;;`);
  return ["#!/bin/bash", "# written by evalbench: element i of the job array runs line i", 'case "$SLURM_ARRAY_TASK_ID" in', ...cases, '  *) echo "evalbench: no command for array element $SLURM_ARRAY_TASK_ID" >&2; exit 2 ;;', "esac", ""].join("\n");
}

export interface Submission {
  /** The array's job id; element i is `${arrayId}_${i}`. */
  arrayId: string;
  script: string;
}

/**
 * Submits the commands as one job array with `sbatch --parsable`. Each element's output goes to
 * `${logDir}/${arrayId}_${i}.log`.
 */
export async function submitArray(commands: readonly string[][], options: SlurmOptions, dirs: { scripts: string; logs: string }, name = "evalbench"): Promise<Submission> {
  if (commands.length === 0) throw new Error("nothing to submit");
  fs.mkdirSync(dirs.scripts, { recursive: true });
  fs.mkdirSync(dirs.logs, { recursive: true });
  const script = path.join(dirs.scripts, `${new Date().toISOString().replace(/[:.]/g, "-")}-${process.pid}-${Math.random().toString(36).slice(2, 8)}.sh`);
  fs.writeFileSync(script, batchScript(commands), { mode: 0o700 });
  const flags = sbatchFlags(options);
  const args = ["--parsable", `--array=0-${commands.length - 1}`, `--job-name=${name}`, `--output=${path.join(dirs.logs, "%A_%a.log")}`, ...flags, script];
  const out = await slurm("sbatch", args, flags);
  // --parsable prints "jobid" or "jobid;cluster"
  const arrayId = out.trim().split(";")[0];
  if (!/^\d+$/.test(arrayId)) throw new Error(`sbatch answered ${JSON.stringify(out.trim())} instead of a job id`);
  return { arrayId, script };
}

const FOLD: Record<string, ClusterState> = {
  PENDING: "queued",
  REQUEUED: "queued",
  REQUEUE_HOLD: "queued",
  REQUEUE_FED: "queued",
  RESV_DEL_HOLD: "queued",
  SUSPENDED: "queued",
  CONFIGURING: "running",
  RUNNING: "running",
  COMPLETING: "running",
  SIGNALING: "running",
  STAGE_OUT: "running",
  RESIZING: "running",
  COMPLETED: "done",
  CANCELLED: "cancelled",
};

export function foldState(slurmState: string): ClusterState {
  return FOLD[slurmState] ?? "failed";
}

/** `JobId=12 ArrayJobId=12 ArrayTaskId=0 JobState=RUNNING Reason=None ...` of `scontrol -o show job`. */
function scontrolFields(line: string): Record<string, string> {
  return Object.fromEntries([...line.matchAll(/(\w+)=(\S*)/g)].map((m) => [m[1], m[2]]));
}

/**
 * The state of job array elements (`12_0`) and plain jobs, from `scontrol -o show job`: it knows
 * pending, running and recently ended jobs (for MinJobAge, 300 s by default) without an accounting
 * database. An id it has forgotten is missing from the answer.
 */
export async function jobStates(ids: readonly string[]): Promise<Map<string, JobState>> {
  const states = new Map<string, JobState>();
  if (ids.length === 0) return states;
  const lines: string[] = [];
  for (const array of new Set(ids.map((id) => id.split("_")[0]))) {
    // an id Slurm has forgotten is an error of scontrol, and simply absent from the answer
    lines.push(await slurm("scontrol", ["-o", "show", "job", array]).catch((error: Error) => (/Invalid job id/i.test(error.message) ? "" : Promise.reject(error))));
  }
  for (const line of lines.join("\n").split("\n").filter(Boolean)) {
    const f = scontrolFields(line);
    const state = f.JobState ?? "UNKNOWN";
    const reason = f.Reason && f.Reason !== "None" ? f.Reason : null;
    const elements = f.ArrayJobId ? expandTasks(f.ArrayTaskId ?? "").map((t) => `${f.ArrayJobId}_${t}`) : [f.JobId];
    for (const id of elements) states.set(id, { state: foldState(state), slurm: state, reason });
  }
  return states;
}

/** `0-2,5` or `0-7%2` as task numbers. */
function expandTasks(spec: string): number[] {
  const out: number[] = [];
  for (const part of spec.split("%")[0].split(",")) {
    const [from, to] = part.split("-").map(Number);
    if (Number.isInteger(from)) for (let i = from; i <= (Number.isInteger(to) ? to : from); i++) out.push(i);
  }
  return out;
}

/**
 * scancel: the job ends (its evalbench run stops after the requests in flight, keeping what it
 * recorded). `kill` sends SIGKILL to the job's batch process instead, with no chance to stop
 * cleanly (Slurm turns a plain `scancel --signal=KILL` into a cancel): what a crashed node does.
 */
export async function cancelJob(id: string, options: { kill?: boolean } = {}): Promise<void> {
  if (!/^\d+(_\d+)?$/.test(id)) throw new Error(`${id} is not a Slurm job id (12 or 12_0)`);
  await slurm("scancel", [...(options.kill ? ["--signal=KILL", "--batch"] : []), id], [id]);
}
