"use client";

import { AppLink } from "@/components/app-link";
import { cancelClusterJob } from "@/app/launch/actions";
import { ACTIVE_CLUSTER, type ClusterJobView } from "@/lib/cluster/view";
import { formatTime } from "../format";
import { StatusBadge } from "../status-badge";
import { ActionButton } from "./launches-panel";
import { useWorkspaceLive } from "./live-launches";
import { RunProgress } from "./progress";

/** A workspace file's address for the browser. */
const fileUrl = (relative: string) => `/api/files/${relative.split("/").map(encodeURIComponent).join("/")}`;

/** The newest cluster job that opened this run. */
export function useClusterJob(runId: string): ClusterJobView | null {
  return useWorkspaceLive().workspace?.cluster.find((job) => job.runs.includes(runId)) ?? null;
}

/** Slurm's state in its words, with the reason it waits or ended. */
function SlurmState({ job }: { job: ClusterJobView }) {
  return (
    <>
      <StatusBadge status={job.state} />{" "}
      {job.slurm && <span className="mono faint">{job.slurm}</span>}
      {job.reason && <span className="muted"> ({job.reason})</span>}
    </>
  );
}

function Logs({ job }: { job: ClusterJobView }) {
  return (
    <>
      <a href={fileUrl(job.log)} target="_blank" rel="noreferrer" data-testid="job-log">
        job log
      </a>
      {job.serveLog && (
        <>
          {" · "}
          <a href={fileUrl(job.serveLog)} target="_blank" rel="noreferrer" data-testid="serve-log">
            server log
          </a>
        </>
      )}
    </>
  );
}

/** A run page's line about the cluster job that ran it. */
export function ClusterJobLine({ job }: { job: ClusterJobView }) {
  return (
    <span data-testid="cluster-job" data-state={job.state}>
      Slurm job <span className="mono">{job.id}</span> <SlurmState job={job} /> · <Logs job={job} />
      {ACTIVE_CLUSTER.includes(job.state) && (
        <>
          {" "}
          <ActionButton label="Cancel job" testId="cancel-cluster-job" action={() => cancelClusterJob(job.id)} />
        </>
      )}
    </span>
  );
}

function JobRow({ job }: { job: ClusterJobView }) {
  const { workspace } = useWorkspaceLive();
  return (
    <tr data-testid="cluster-job-row" data-state={job.state} data-checkpoint={job.checkpoint ?? ""}>
      <td>
        <span className="mono">{job.id}</span>
      </td>
      <td>
        <SlurmState job={job} />
      </td>
      <td>
        {job.model ?? "—"} <span className="muted">{job.checkpoint ?? ""}</span>
        {job.step !== null && <span className="faint"> step {job.step}</span>}
      </td>
      <td className="mono">{job.tasks.join(", ")}</td>
      <td>
        {job.runs.length === 0 && <span className="muted">{job.state === "queued" ? "waiting in Slurm's queue" : "no run opened"}</span>}
        {job.runs.map((runId) => {
          const progress = workspace?.runs.find((r) => r.runId === runId);
          return (
            <div key={runId}>
              <AppLink href={`/runs/${encodeURIComponent(runId)}`} className="mono">
                {runId}
              </AppLink>
              {progress && <div>{progress.status === "running" ? <RunProgress run={progress} /> : <StatusBadge status={progress.status} />}</div>}
            </div>
          );
        })}
      </td>
      <td>
        <Logs job={job} />
      </td>
      <td className="muted">{formatTime(job.submittedAt)}</td>
      <td>{ACTIVE_CLUSTER.includes(job.state) && <ActionButton label="Cancel" testId="cancel-cluster-job" action={() => cancelClusterJob(job.id)} />}</td>
    </tr>
  );
}

/** The workspace's cluster jobs, submitted from anywhere: Slurm's state and reason, the runs' progress, the logs. */
export function ClusterJobsPanel() {
  const { workspace, error } = useWorkspaceLive();
  if (error) {
    return (
      <p className="callout error" role="alert" data-testid="live-error">
        {error}
      </p>
    );
  }
  if (!workspace || workspace.cluster.length === 0) return null;
  return (
    <section className="launches" data-testid="cluster-jobs">
      <h2>Cluster jobs (Slurm)</h2>
      <div className="table-frame">
        <table className="grid">
          <thead>
            <tr>
              <th>Job</th>
              <th>State (Slurm&apos;s reason)</th>
              <th>Model, checkpoint</th>
              <th>Tasks</th>
              <th>Runs (recorded / planned, rate, ETA)</th>
              <th>Logs</th>
              <th>Submitted (UTC)</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {workspace.cluster.map((job) => (
              <JobRow key={job.id} job={job} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
