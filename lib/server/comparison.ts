import fs from "node:fs";
import { PIN_LENGTH, ShareLinkError, decodeView, type CompareView } from "@/lib/share/view-state";
import { RunId, type RunManifest, type RunStatus } from "@/lib/schema";
import { readRun } from "@/lib/workspace/catalog";
import { runDir } from "@/lib/workspace/paths";

export interface ComparedRun {
  manifest: RunManifest;
  status: RunStatus;
  /** The content pin a link made now carries: the records' sha256 prefix; null while unfinished. */
  pin: string | null;
}

export type ComparisonRequest =
  | { ok: false; message: string }
  | { ok: true; view: CompareView; a: ComparedRun; b: ComparedRun; metric: string; metrics: string[]; notes: string[] };

const metricsOf = (m: RunManifest) => [m.primary_metric, ...Object.keys(m.metrics).filter((name) => name !== m.primary_metric)];

/** A run named by a link: it must exist and be readable. Nothing about the workspace is revealed. */
function findRun(workspace: string, role: "candidate" | "baseline", runId: string): ComparedRun | string {
  if (!RunId.safeParse(runId).success || !fs.existsSync(runDir(workspace, runId))) {
    return `There is no run "${runId}" (the ${role}) in this workspace. It may have been deleted, or the link was made on another workspace; pick two runs on the runs page.`;
  }
  const entry = readRun(workspace, runId, { verify: true });
  if (!entry.ok) return `The ${role} run (${runId}) cannot be read: ${entry.error}`;
  return { manifest: entry.manifest, status: entry.status, pin: entry.manifest.records?.sha256.slice(0, PIN_LENGTH) ?? null };
}

/**
 * What the compare page shows for a URL: the decoded view and both runs, or the one message that
 * says what is wrong with the link. Notes are things to know about a comparison that still runs.
 */
export function resolveComparison(workspace: string, search: URLSearchParams): ComparisonRequest {
  let view: CompareView;
  try {
    view = decodeView(search);
  } catch (error) {
    if (error instanceof ShareLinkError) return { ok: false, message: error.message };
    throw error;
  }
  if (view.a === view.b) return { ok: false, message: `The candidate and the baseline are the same run (${view.a}): a run compared with itself shows no difference. Pick two different runs.` };
  const a = findRun(workspace, "candidate", view.a);
  if (typeof a === "string") return { ok: false, message: a };
  const b = findRun(workspace, "baseline", view.b);
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
