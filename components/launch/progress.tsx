"use client";

import type { RunProgressView } from "@/lib/launch/view";
import { clock } from "@/lib/format/clock";
import { formatCount } from "../format";
import { useRunProgress } from "./live-launches";

/** done / planned as a bar, with rate, ETA and errors. */
export function RunProgress({ run }: { run: RunProgressView }) {
  return (
    <span className="progress" data-testid="run-progress" data-done={run.done} data-planned={run.planned}>
      <progress max={Math.max(run.planned, 1)} value={run.done} aria-label={`${run.spec} progress`} />
      <span className="num">
        {formatCount(run.done)} / {formatCount(run.planned)}
      </span>
      <span className="muted">{run.rate === null ? "—" : `${run.rate.toFixed(1)}/s`}</span>
      <span className="muted">ETA {clock(run.eta)}</span>
      <span className={run.errored > 0 ? "field-error" : "muted"}>{formatCount(run.errored)} errors</span>
    </span>
  );
}

/**
 * A run's "done / planned" count: live from this server's launcher while it runs the run (the
 * figures its progress bar shows), else from the run's manifest.
 */
export function QuestionCount({ runId, done, planned }: { runId: string; done: number; planned: number }) {
  const live = useRunProgress(runId);
  const counts = live && live.run.status === "running" ? live.run : { done, planned };
  return (
    <span data-testid="question-count" data-done={counts.done} data-planned={counts.planned}>
      {counts.planned > counts.done ? `${formatCount(counts.done)} / ${formatCount(counts.planned)}` : formatCount(counts.done)}
    </span>
  );
}
