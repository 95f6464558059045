"use client";

import { AppLink } from "@/components/app-link";
import { useState, useTransition } from "react";
import { cancelJob, dismissJobs, rerunJob, resumeRun } from "@/app/launch/actions";
import type { JobView } from "@/lib/launch/view";
import { formatTime } from "../format";
import { StatusBadge } from "../status-badge";
import { useLaunches } from "./live-launches";
import { RunProgress } from "./progress";

const ACTIVE = ["queued", "running", "cancelling"];
/** Ended jobs listed under the active ones; the runs themselves are in the table below. */
const RECENT_ENDED = 10;

/** A button calling a server action, showing the action's error next to it. */
export function ActionButton({ label, action, testId }: { label: string; action: () => Promise<{ error: string | null }>; testId: string }) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button type="button" className="button" disabled={pending} data-testid={testId} onClick={() => start(async () => setError((await action()).error))}>
        {label}
      </button>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}

function JobRow({ job }: { job: JobView }) {
  const active = ACTIVE.includes(job.state);
  return (
    <tr data-testid="launch-job" data-state={job.state} data-checkpoint={job.checkpoint ?? ""}>
      <td>
        <StatusBadge status={job.state} />
      </td>
      <td className="mono">{job.tasks.join(", ")}</td>
      <td>
        {job.model ?? "—"} <span className="muted">{job.checkpoint ?? ""}</span>
        {job.attempt && <span className="faint"> attempt {job.attempt}</span>}
        {job.resume && <span className="faint"> resume</span>}
      </td>
      <td className="runs-cell">
        {job.runs.length === 0 && <span className="muted">{job.state === "queued" ? "waiting for a free slot" : "no run started"}</span>}
        {job.runs.map((run) => (
          <div key={run.runId}>
            <AppLink href={`/runs/${encodeURIComponent(run.runId)}`} className="mono">
              {run.runId}
            </AppLink>{" "}
            {run.status === "running" ? <RunProgress run={run} /> : <StatusBadge status={run.status} />}
            {!active && ["interrupted", "cancelled", "failed"].includes(run.status) && <ActionButton label="Resume" testId="resume-run" action={() => resumeRun(run.runId)} />}
          </div>
        ))}
        {job.error && <div className="field-error">{job.error}</div>}
      </td>
      <td className="muted">{formatTime(job.createdAt)}</td>
      <td className="actions-cell">
        {active ? (
          <ActionButton label="Cancel" testId="cancel-job" action={() => cancelJob(job.id)} />
        ) : (
          <>
            <ActionButton label="Re-run" testId="rerun-job" action={() => rerunJob(job.id)} />{" "}
            <ActionButton label="Dismiss" testId="dismiss-job" action={() => dismissJobs([job.id])} />
          </>
        )}
      </td>
    </tr>
  );
}

/** Runs launched from the app: the going ones with live progress, then the last ended ones not dismissed. */
export function LaunchesPanel() {
  const jobs = useLaunches();
  const ended = jobs.filter((j) => !ACTIVE.includes(j.state) && !j.dismissed);
  const shown = [...jobs.filter((j) => ACTIVE.includes(j.state)), ...ended.slice(0, RECENT_ENDED)];
  if (shown.length === 0) return null;
  return (
    <section className="launches" data-testid="launches">
      <div className="panel-head">
        <h2>Launched from this app</h2>
        {ended.length > 0 && <ActionButton label={`Dismiss the ${ended.length} ended`} testId="dismiss-ended" action={() => dismissJobs(ended.map((j) => j.id))} />}
      </div>
      <div className="table-frame">
        <table className="grid">
          <thead>
            <tr>
              <th>State</th>
              <th>Tasks</th>
              <th>Model</th>
              <th>Runs</th>
              <th>Queued (UTC)</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {shown.map((job) => (
              <JobRow key={job.id} job={job} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
