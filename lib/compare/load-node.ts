import { parquetMetadataAsync } from "hyparquet";
import { readColumns } from "@/lib/query/columns";
import { metricScores } from "@/lib/query/metric-scores";
import { recordsFileOf } from "@/lib/query/records-file";
import type { RunManifest } from "@/lib/schema";
import { listCatalog } from "@/lib/catalog/list";
import { COMPARE_FILE } from "@/lib/workspace/paths";
import { runExists, runFileBuffer, runRecordsBuffer, workspaceRun } from "@/lib/workspace/store";
import { alignColumns } from "./align";
import { alignedRows, type RunColumns } from "./columns";
import type { AcrossTasks } from "./pairing";
import { ALIGN_INPUT_COLUMNS, type AlignedRow } from "./sql";

/** Closest run ids to a name that was not found, for the error message. */
async function suggestions(workspace: string, runId: string): Promise<string> {
  const ids = (await listCatalog(workspace, { check: false })).map((run) => run.run_id);
  const close = ids.filter((id) => id.includes(runId) || runId.includes(id)).slice(0, 5);
  return close.length > 0 ? `; did you mean ${close.join(", ")}?` : ids.length > 0 ? "; `evalbench ls` lists the runs" : "; the workspace has no runs";
}

/** The manifest of a run that must exist and be readable, or an error that says what to do. */
export async function requireRun(workspace: string, runId: string): Promise<RunManifest> {
  const entry = await workspaceRun(workspace, runId, { verify: true });
  if (entry.ok) return entry.manifest;
  if (!(await runExists(workspace, runId))) throw new Error(`no run ${runId} in ${workspace}${await suggestions(workspace, runId)}`);
  throw new Error(`run ${runId} cannot be read: ${entry.error}`);
}

/** A run's alignment columns, `score` holding the metric: from compare.parquet for the run's primary metric when it has one, else from its records, as the compare page's worker reads them. */
export async function readRunColumns(workspace: string, manifest: RunManifest, metric: string): Promise<RunColumns> {
  const primary = metric === manifest.primary_metric;
  if (!primary && !(metric in manifest.metrics)) {
    throw new Error(`run ${manifest.run_id} has no metric ${metric}; it has ${[manifest.primary_metric, ...Object.keys(manifest.metrics).filter((m) => m !== manifest.primary_metric)].join(", ")}`);
  }
  const file = primary && manifest.records?.compare ? await runFileBuffer(workspace, manifest.run_id, COMPARE_FILE) : await runRecordsBuffer(workspace, manifest.run_id);
  const records = recordsFileOf(manifest.run_id, file, await parquetMetadataAsync(file));
  const batch = await readColumns(records, primary ? ALIGN_INPUT_COLUMNS : [...ALIGN_INPUT_COLUMNS.filter((c) => c !== "score"), "scores"]);
  if (!primary) batch.columns.score = metricScores(batch.columns.scores ?? [], metric);
  return batch.columns as unknown as RunColumns;
}

/** Lines the candidate and the baseline up as alignSql() does, with alignColumns (tested equal to it), as the compare page does. */
export async function alignRunsOnDisk(workspace: string, candidate: RunManifest, baseline: RunManifest, metric: string): Promise<{ rows: AlignedRow[]; acrossTasks: AcrossTasks | null }> {
  const [columnsA, columnsB] = await Promise.all([readRunColumns(workspace, candidate, metric), readRunColumns(workspace, baseline, metric)]);
  const aligned = alignColumns(columnsA, columnsB);
  return { rows: alignedRows(aligned), acrossTasks: aligned.acrossTasks };
}
