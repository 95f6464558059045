import { parquetMetadataAsync, type AsyncBuffer } from "hyparquet";
import type { CompareSettings } from "@/lib/compare/report";
import { listRuns } from "@/lib/catalog/list";
import { recordsFileOf } from "@/lib/query/records-file";
import type { RunManifest } from "@/lib/schema";
import type { CatalogEntry } from "@/lib/workspace/catalog";
import { COMPARE_FILE } from "@/lib/workspace/paths";
import { runFileBuffer, runRecordsBuffer } from "@/lib/workspace/store";
import { SeriesInputError } from "./lines";
import { matrixReport, type MatrixReport } from "./matrix";
import {
  changesLastK,
  lineDifferences,
  lineFlips,
  manifestsOf,
  seriesPaired,
  seriesSummary,
  type DifferenceRow,
  type FlipRow,
  type PerTaskRow,
  type QuestionsOf,
  type SeriesOptions,
  type SeriesPart,
  type SeriesReport,
} from "./report";
import { questionAcrossRuns, type QuestionAtCheckpoint } from "./question";
import { readRunQuestions } from "./questions-on-disk";
import { suiteReport, type SuiteReport } from "./suite";
import { buildTrajectories, type Trajectories } from "./trajectories";

/** Loads the questions of the workspace's runs by id, for the paired stage and the matrix (Node). */
export function questionsOnDisk(workspace: string, entries: readonly CatalogEntry[], metric: string): QuestionsOf {
  const manifests = manifestsOf(entries);
  return (runId) => {
    const manifest = manifests.get(runId);
    if (!manifest) throw new SeriesInputError(`no run ${runId} in ${workspace}`);
    return readRunQuestions(workspace, manifest, metric);
  };
}

/** The whole series report of a workspace on disk: what `evalbench series` prints and the series page shows. */
export async function seriesReportOnDisk(workspace: string, options: SeriesOptions, settings?: CompareSettings): Promise<SeriesReport> {
  const entries = await listRuns(workspace);
  const summary = seriesSummary(entries, options);
  return seriesPaired(summary, questionsOnDisk(workspace, entries, summary.metric), settings);
}

/** One part of a series' paired stage (what the page fetches piece by piece). */
export async function seriesPartOnDisk(workspace: string, options: SeriesOptions, part: SeriesPart): Promise<FlipRow[] | DifferenceRow[] | PerTaskRow[]> {
  const entries = await listRuns(workspace);
  const summary = seriesSummary(entries, options);
  const questionsOf = questionsOnDisk(workspace, entries, summary.metric);
  if (part.part === "flips") return lineFlips(summary, part.line, questionsOf);
  if (part.part === "differences") return lineDifferences(summary, part.line, questionsOf);
  return changesLastK(summary, questionsOf);
}

/** The matrix of runs of a workspace on disk: what `evalbench matrix` prints and the matrix page shows. */
export async function matrixReportOnDisk(workspace: string, runIds: readonly string[], metric: string | null = null, entries?: readonly CatalogEntry[]): Promise<MatrixReport> {
  entries ??= await listRuns(workspace);
  const manifests = runIds.map((id) => {
    const entry = entries.find((e) => e.run_id === id);
    if (!entry) throw new SeriesInputError(`no run ${id} in ${workspace}; \`evalbench ls\` lists the runs`);
    if (!entry.ok) throw new SeriesInputError(`run ${id} cannot be read: ${entry.error}`);
    return entry.manifest;
  });
  return matrixReport(manifests, questionsOnDisk(workspace, entries, metric ?? manifests[0]?.primary_metric ?? "score"), metric);
}

/** One line's question trajectories on a task, read from its points' runs. */
export async function trajectoriesOnDisk(workspace: string, options: SeriesOptions, line: number): Promise<Trajectories> {
  const entries = await listRuns(workspace);
  const summary = seriesSummary(entries, options);
  const chosen = summary.lines[line];
  if (!chosen) throw new SeriesInputError(`there is no line ${line + 1}: the series has ${summary.lines.length}`);
  const questionsOf = questionsOnDisk(workspace, entries, summary.metric);
  return buildTrajectories(chosen.points, await Promise.all(chosen.points.map((p) => questionsOf(p.run_id))));
}

/** A suite's series on disk: each member task's, and the suite's aggregate line. */
export async function suiteReportOnDisk(workspace: string, options: Omit<SeriesOptions, "task" | "metric"> & { suite: string }): Promise<SuiteReport> {
  const entries = await listRuns(workspace);
  return suiteReport(entries, options, (metric) => questionsOnDisk(workspace, entries, metric));
}

async function openParquet(runId: string, file: AsyncBuffer) {
  return recordsFileOf(runId, file, await parquetMetadataAsync(file));
}

/** One question (task/instance_id) in each run, from the workspace's files: what /api/series/question answers. */
export function questionAcrossRunsOnDisk(workspace: string, manifests: readonly RunManifest[], questionId: string): Promise<QuestionAtCheckpoint[]> {
  return questionAcrossRuns(
    manifests.map((manifest) => {
      const records = async () => openParquet(manifest.run_id, await runRecordsBuffer(workspace, manifest.run_id));
      const ids = manifest.records?.compare ? async () => openParquet(manifest.run_id, await runFileBuffer(workspace, manifest.run_id, COMPARE_FILE)) : records;
      return { manifest, ids, records };
    }),
    questionId,
  );
}
