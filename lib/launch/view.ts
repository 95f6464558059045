import type { WorkspaceLive } from "@/lib/cluster/view";
import type { RunStatus } from "@/lib/schema";
import type { Job, JobState } from "./launcher";

/** One run of a job as the browser sees it: counts, rate and ETA. */
export interface RunProgressView {
  runId: string;
  spec: string;
  status: RunStatus;
  /** Recorded so far, including what a resumed run had before. */
  done: number;
  planned: number;
  errored: number;
  /** Records per second in this session; null before the first one. */
  rate: number | null;
  /** Seconds to the end at that rate; null when unknown. */
  eta: number | null;
}

/** A job as the browser sees it: what was asked, where it stands. No endpoint secrets exist to leak. */
export interface JobView {
  id: string;
  state: JobState;
  tasks: string[];
  model: string | null;
  checkpoint: string | null;
  step: number | null;
  resume: boolean;
  attempt: number | null;
  createdAt: string;
  error: string | null;
  dismissed: boolean;
  runs: RunProgressView[];
}

export function jobView(job: Job, now: number): JobView {
  const { request } = job;
  return {
    id: job.id,
    state: job.state,
    tasks: request.tasks,
    model: request.model_name ?? request.served_model,
    checkpoint: request.checkpoint,
    step: request.step,
    resume: job.resume,
    attempt: job.attempt,
    createdAt: job.createdAt,
    error: job.error,
    dismissed: job.dismissed ?? false,
    runs: job.runs.map((run) => {
      const p = run.progress;
      const seconds = (now - run.startedAt) / 1000;
      const rate = p && p.done > 0 && seconds > 0 ? p.done / seconds : null;
      return {
        runId: run.runId,
        spec: run.spec,
        status: run.status,
        done: p ? p.already + p.done : 0,
        planned: p ? p.already + p.total : 0,
        errored: p?.errored ?? 0,
        rate,
        eta: p && rate ? (p.total - p.done) / rate : null,
      };
    }),
  };
}

/** One server-sent event of /api/launches/events: this server's launches, and what the workspace shows live. */
export interface LiveMessage {
  jobs: JobView[];
  workspace: WorkspaceLive | null;
  /** Why the workspace's live state could not be read, when it could not. */
  error: string | null;
}
