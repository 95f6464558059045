import type { RunManifest, RunStatus } from "@/lib/schema";

/** The facts about a run that listings show, sort and filter by, kept as columns beside the manifest. */
export interface RunSummary {
  status: RunStatus;
  model: string;
  checkpoint: string | null;
  step: number | null;
  task_name: string;
  task_variant: string | null;
  created: string;
  /** Questions recorded: a finished run's records rows, else the count run.json had. */
  n: number;
  planned: number;
  metric: string;
  value: number | null;
  se: number | null;
  metric_n: number | null;
  /** The records.parquet size run.json recorded, for the cheap check that the file is whole. */
  records_bytes: number | null;
  /** The process writing a running run, to tell an interrupted one. */
  writer_pid: number | null;
  writer_host: string | null;
}

export function summarize(m: RunManifest): RunSummary {
  const metric = m.metrics[m.primary_metric];
  return {
    status: m.status,
    model: m.model.name,
    checkpoint: m.model.checkpoint,
    step: m.model.step,
    task_name: m.task.name,
    task_variant: m.task.variant,
    created: m.created_at,
    n: m.records?.rows ?? m.counts.done,
    planned: m.counts.planned,
    metric: m.primary_metric,
    value: metric?.value ?? null,
    se: metric?.se ?? null,
    metric_n: metric?.n ?? null,
    records_bytes: m.records?.bytes ?? null,
    writer_pid: m.writer?.pid ?? null,
    writer_host: m.writer?.host ?? null,
  };
}

/** The task as listings name it: `name:variant`. */
export const taskLabel = (s: Pick<RunSummary, "task_name" | "task_variant">): string => (s.task_variant ? `${s.task_name}:${s.task_variant}` : s.task_name);

/** Newest first, then by run id: the order every listing shows, and the compacted file's. */
export function newestFirst(a: { run_id: string; summary: Pick<RunSummary, "created"> | null }, b: { run_id: string; summary: Pick<RunSummary, "created"> | null }): number {
  const x = a.summary?.created ?? "";
  const y = b.summary?.created ?? "";
  return x < y ? 1 : x > y ? -1 : a.run_id < b.run_id ? -1 : 1;
}
