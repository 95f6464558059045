"use client";

import { AppLink } from "@/components/app-link";
import { cancelJob, rerunJob, resumeRun } from "@/app/launch/actions";
import { compareUrl } from "@/lib/query";
import type { RunStatus } from "@/lib/schema";
import { ActionButton } from "./launches-panel";
import { ClusterJobLine, useClusterJob } from "./cluster-jobs-panel";
import { useRunProgress } from "./live-launches";
import { RunProgress } from "./progress";

const RESUMABLE: readonly RunStatus[] = ["interrupted", "cancelled", "failed"];

/**
 * A run page's launch controls: live progress and Cancel while this server runs it; Resume and
 * Re-run when it was launched here; the comparison with the previous checkpoint once complete.
 */
export function RunLaunchBar({ runId, status, jobId, previous }: { runId: string; status: RunStatus; jobId: string | null; previous: { runId: string; label: string } | null }) {
  const live = useRunProgress(runId);
  const cluster = useClusterJob(runId);
  const going = live !== null && live.job !== null && live.run.status === "running" && ["running", "cancelling"].includes(live.job.state);
  if (live && live.job === null && live.run.status === "running") {
    // started elsewhere (the CLI, a cluster job): progress read from the workspace
    return (
      <div className="toolbar" data-testid="run-live">
        <RunProgress run={live.run} />
        {cluster && <ClusterJobLine job={cluster} />}
      </div>
    );
  }
  if (going && live.job) {
    const job = live.job;
    return (
      <div className="toolbar" data-testid="run-live">
        <RunProgress run={live.run} />
        {job.state === "cancelling" ? <span className="muted">cancelling…</span> : <ActionButton label="Cancel" testId="cancel-run" action={() => cancelJob(job.id)} />}
      </div>
    );
  }
  return (
    <div className="toolbar">
      {cluster && <ClusterJobLine job={cluster} />}
      {previous && (
        <AppLink className="button primary" href={compareUrl(runId, previous.runId)} data-testid="compare-previous">
          Compare with the previous checkpoint ({previous.label})
        </AppLink>
      )}
      {RESUMABLE.includes(status) &&
        (jobId ? (
          <ActionButton label="Resume" testId="resume-run" action={() => resumeRun(runId)} />
        ) : (
          <span className="muted">
            Finish it with <code>evalbench run … --resume</code> and the flags that started it.
          </span>
        ))}
      {jobId && status !== "running" && <ActionButton label="Re-run as a new attempt" testId="rerun-job" action={() => rerunJob(jobId)} />}
    </div>
  );
}
