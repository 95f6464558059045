"use client";

import { AppLink } from "@/components/app-link";
import { useRouter } from "next/navigation";
import { useEffect, type ReactNode } from "react";
import { runSource, type ColumnBatch, type RunSource } from "@/lib/query";
import type { QuestionRef } from "@/lib/query/question-url";
import type { RunManifest, RunStatus } from "@/lib/schema";
import { taskSpec } from "@/lib/series/lines";
import { encodeSeriesView } from "@/lib/series/view";
import { primaryScoreText } from "@/lib/format/score";
import { formatCount, formatTime } from "./format";
import { QuestionCount } from "./launch/progress";
import { QuestionBrowser } from "./question-browser";
import { StatusBadge } from "./status-badge";

/** How often a running run's page reads it again: its counts, scores and questions. */
const RUNNING_REFRESH_MS = 5000;

interface Props {
  manifest: RunManifest;
  status: RunStatus;
  preview: ColumnBatch | null;
  /** The question a link opened (`?q=ID`), if any. */
  linked?: QuestionRef | null;
  actions?: ReactNode;
  /** Where its files are, when not the app's routes (a published viewer). */
  urls?: RunSource["urls"];
  /** False where there is no series page (a published viewer). */
  seriesLink?: boolean;
}

/** A run's header (model, task, metric, status) above its question browser; a running run's page updates itself. */
export function RunView({ manifest, status, preview, linked = null, actions, urls, seriesLink = true }: Props) {
  const finished = manifest.records !== null;
  const source = { ...runSource(manifest, status), urls };
  const primary = manifest.metrics[manifest.primary_metric];
  const router = useRouter();
  useEffect(() => {
    if (status !== "running") return;
    const timer = setInterval(() => router.refresh(), RUNNING_REFRESH_MS);
    return () => clearInterval(timer);
  }, [status, router]);
  return (
    <>
      <div className="page-head">
        <AppLink href="/" className="muted">
          Runs /
        </AppLink>
        <h1 className="mono" data-testid="run-title">
          {manifest.run_id}
        </h1>
        <StatusBadge status={status} />
        <span className="spacer" />
        {seriesLink && (
          <AppLink href={`/series?${encodeSeriesView({ lines: [manifest.model.name], task: taskSpec(manifest) })}`} data-testid="run-series-link">
            This run in its series →
          </AppLink>
        )}
      </div>
      <dl className="facts">
        <Fact label="Task" value={manifest.task.variant ? `${manifest.task.name}:${manifest.task.variant}` : manifest.task.name} />
        <Fact label="Model" value={manifest.model.name} />
        <Fact label="Checkpoint" value={manifest.model.checkpoint ?? "—"} />
        <Fact label="Step" value={formatCount(manifest.model.step)} />
        <Fact label={manifest.primary_metric} value={primaryScoreText(manifest)} testId="primary-metric" />
        <Fact label="Questions" value={<QuestionCount runId={manifest.run_id} done={manifest.counts.done} planned={manifest.counts.planned} />} />
        <Fact label="Errored" value={formatCount(manifest.counts.errored)} />
        <Fact label="Harness" value={manifest.harness.name} />
        <Fact label="Created" value={`${formatTime(manifest.created_at)} UTC`} />
      </dl>
      {actions}
      {manifest.notes && <p className="callout">{manifest.notes}</p>}
      {!finished && (
        <p className="callout warn" data-testid="partial-note">
          This run is {status}: showing the {formatCount(manifest.counts.done)} questions recorded so far
          {manifest.counts.planned > 0 && ` of ${formatCount(manifest.counts.planned)} planned`}.
          {status === "running" && <span className="muted"> It updates every {RUNNING_REFRESH_MS / 1000} s.</span>}
        </p>
      )}
      {status === "failed" && manifest.error && <p className="callout error">The run failed: {manifest.error}</p>}
      <QuestionBrowser source={source} preview={preview} primaryMetric={manifest.primary_metric} overall={primary?.value ?? null} linked={linked} />
    </>
  );
}

function Fact({ label, value, testId }: { label: string; value: ReactNode; testId?: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}
