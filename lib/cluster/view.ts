import type { RunProgressView } from "@/lib/launch/view";
import type { ClusterJobRecord } from "./jobs";
import type { ClusterState, JobState } from "./slurm";

// Browser-safe: types and pure functions only (the files are read by lib/cluster/jobs.ts on the server).

/** A cluster job as the browser sees it: Slurm's state with its reason, the runs it opened, its logs. */
export interface ClusterJobView {
  id: string;
  /** `unknown` when Slurm cannot be asked here, or has forgotten the job. */
  state: ClusterState | "unknown";
  slurm: string | null;
  reason: string | null;
  submittedAt: string;
  tasks: string[];
  model: string | null;
  checkpoint: string | null;
  step: number | null;
  partition: string | null;
  /** Workspace-relative paths. */
  log: string;
  serveLog: string | null;
  runs: string[];
}

/** What the workspace shows live: runs going on (wherever they were started) and the cluster jobs. */
export interface WorkspaceLive {
  runs: RunProgressView[];
  cluster: ClusterJobView[];
}

/** Jobs listed: the queued and running ones, then the latest ended ones. */
const SHOWN_ENDED = 20;

export const ACTIVE_CLUSTER: readonly string[] = ["queued", "running"];

/**
 * The workspace's cluster jobs with Slurm's states. A run whose job has ended while its manifest
 * still says running (a killed job never wrote its end) is shown interrupted: --resume finishes it.
 */
export async function workspaceLive(jobs: ClusterJobRecord[], running: RunProgressView[], states: (ids: string[]) => Promise<Map<string, JobState>>): Promise<WorkspaceLive> {
  let known: Map<string, JobState> = new Map();
  let unknownReason: string | null = null;
  try {
    known = await states(jobs.map((j) => j.id));
  } catch (error) {
    unknownReason = (error as Error).message;
  }
  const views: ClusterJobView[] = jobs.map((job) => {
    const state = known.get(job.id);
    return {
      id: job.id,
      state: state?.state ?? "unknown",
      slurm: state?.slurm ?? null,
      reason: state ? state.reason : (unknownReason ?? "Slurm no longer lists this job (it ended a while ago)"),
      submittedAt: job.submitted_at,
      tasks: job.tasks,
      model: job.model,
      checkpoint: job.checkpoint,
      step: job.step,
      partition: job.partition,
      log: job.log,
      serveLog: job.serve_log,
      runs: job.runs,
    };
  });
  const ended = new Set(views.filter((v) => v.state !== "unknown" && !ACTIVE_CLUSTER.includes(v.state)).flatMap((v) => v.runs));
  const runs = running.map((run) => (ended.has(run.runId) ? { ...run, status: "interrupted" as const, rate: null, eta: null } : run));
  const shown = [...views.filter((v) => ACTIVE_CLUSTER.includes(v.state)), ...views.filter((v) => !ACTIVE_CLUSTER.includes(v.state)).slice(0, SHOWN_ENDED)];
  return { runs, cluster: shown };
}
