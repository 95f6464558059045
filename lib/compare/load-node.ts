import fs from "node:fs";
import path from "node:path";
import { asyncBufferFromFile, parquetMetadataAsync } from "hyparquet";
import { readColumns } from "@/lib/query/columns";
import { metricScores } from "@/lib/query/metric-scores";
import { recordsFileOf } from "@/lib/query/records-file";
import { bufferOf } from "@/lib/query/server-preview";
import type { RunManifest } from "@/lib/schema";
import { readRun } from "@/lib/workspace/catalog";
import { COMPARE_FILE, runDir, runsRoot } from "@/lib/workspace/paths";
import { runRecords } from "@/lib/workspace/records-source";
import { alignColumns } from "./align";
import { alignedRows, type RunColumns } from "./columns";
import type { AcrossTasks } from "./pairing";
import { ALIGN_INPUT_COLUMNS, type AlignedRow } from "./sql";

/** Closest run ids to a name that was not found, for the error message. */
function suggestions(workspace: string, runId: string): string {
  // the folder names only: this runs when a name was not found, and stays synchronous with requireRun
  const ids = fs.existsSync(runsRoot(workspace)) ? fs.readdirSync(runsRoot(workspace)).filter((name) => !name.startsWith(".")) : [];
  const close = ids.filter((id) => id.includes(runId) || runId.includes(id)).slice(0, 5);
  return close.length > 0 ? `; did you mean ${close.join(", ")}?` : ids.length > 0 ? "; `evalbench ls` lists the runs" : "; the workspace has no runs";
}

/** The manifest of a run that must exist and be readable, or an error that says what to do. */
export function requireRun(workspace: string, runId: string): RunManifest {
  const entry = readRun(workspace, runId, { verify: true });
  if (entry.ok) return entry.manifest;
  if (!fs.existsSync(path.join(workspace, "runs", runId))) {
    throw new Error(`no run ${runId} in ${workspace}${suggestions(workspace, runId)}`);
  }
  throw new Error(`run ${runId} cannot be read: ${entry.error}`);
}

/** A run's alignment columns, `score` holding the metric: from compare.parquet for the run's primary metric when it has one, else from its records, as the compare page's worker reads them. */
export async function readRunColumns(workspace: string, manifest: RunManifest, metric: string): Promise<RunColumns> {
  const primary = metric === manifest.primary_metric;
  if (!primary && !(metric in manifest.metrics)) {
    throw new Error(`run ${manifest.run_id} has no metric ${metric}; it has ${[manifest.primary_metric, ...Object.keys(manifest.metrics).filter((m) => m !== manifest.primary_metric)].join(", ")}`);
  }
  const source = primary && manifest.records?.compare ? { file: path.join(runDir(workspace, manifest.run_id), COMPARE_FILE) } : runRecords(workspace, manifest.run_id);
  const file = "file" in source ? await asyncBufferFromFile(source.file) : bufferOf(source.bytes);
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
