import { ShareLinkError, decodeView, type CompareView } from "./view-state";
import type { RunManifest, RunStatus } from "@/lib/schema";

export interface ComparedRun {
  manifest: RunManifest;
  status: RunStatus;
  /** The content pin a link made now carries: the records' sha256 prefix; null while unfinished. */
  pin: string | null;
}

export type ComparisonRequest =
  | { ok: false; message: string }
  | { ok: true; view: CompareView; a: ComparedRun; b: ComparedRun; metric: string; metrics: string[]; notes: string[] };

/** A run named by a link, or the message saying why it cannot be shown. */
export type FindRun = (role: "candidate" | "baseline", runId: string) => ComparedRun | string;

const metricsOf = (m: RunManifest) => [m.primary_metric, ...Object.keys(m.metrics).filter((name) => name !== m.primary_metric)];

/**
 * What the compare page shows for a URL: the decoded view and both runs, or the one message that
 * says what is wrong with the link. Notes are things to know about a comparison that still runs.
 * The app finds runs in its workspace, a published viewer in its index.
 */
export function resolveComparison(search: URLSearchParams, findRun: FindRun): ComparisonRequest {
  let view: CompareView;
  try {
    view = decodeView(search);
  } catch (error) {
    if (error instanceof ShareLinkError) return { ok: false, message: error.message };
    throw error;
  }
  if (view.a === view.b) return { ok: false, message: `The candidate and the baseline are the same run (${view.a}): a run compared with itself shows no difference. Pick two different runs.` };
  const a = findRun("candidate", view.a);
  if (typeof a === "string") return { ok: false, message: a };
  const b = findRun("baseline", view.b);
  if (typeof b === "string") return { ok: false, message: b };

  const notes: string[] = [];
  for (const [run, linked] of [[a, view.pinA], [b, view.pinB]] as const) {
    if (linked !== null && linked !== run.pin) {
      notes.push(`Run ${run.manifest.run_id} has changed since this link was made: its records are not the ones the link pinned (${linked}), so the numbers may differ from what was shared.`);
    }
  }
  for (const run of [a, b]) {
    if (run.status !== "complete") {
      notes.push(`Run ${run.manifest.run_id} is ${run.status}: comparing the ${run.manifest.counts.done.toLocaleString("en-US")} questions it has recorded so far.`);
    }
  }
  const metric = view.metric ?? a.manifest.primary_metric;
  if (view.metric === null && a.manifest.primary_metric !== b.manifest.primary_metric) {
    notes.push(`The runs' primary metrics differ (${a.manifest.primary_metric} vs ${b.manifest.primary_metric}): comparing ${metric}; pick another metric below.`);
  }
  for (const run of [a, b]) {
    if (!metricsOf(run.manifest).includes(metric)) {
      return { ok: false, message: `Run ${run.manifest.run_id} has no metric ${metric}; it has ${metricsOf(run.manifest).join(", ")}.` };
    }
  }
  const metrics = metricsOf(a.manifest).filter((m) => metricsOf(b.manifest).includes(m));
  return { ok: true, view, a, b, metric, metrics, notes };
}
