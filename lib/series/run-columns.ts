import { asyncBufferFromFile, parquetMetadataAsync } from "hyparquet";
import type { RunColumns } from "@/lib/compare/columns";
import { runQuestions, type RunQuestions } from "@/lib/compare/run-questions";
import { readColumns } from "@/lib/query/columns";
import { metricScores } from "@/lib/query/metric-scores";
import { recordsFileOf } from "@/lib/query/records-file";
import { bufferOf } from "@/lib/query/server-preview";
import type { RunManifest } from "@/lib/schema";
import { COMPARE_FILE, runDir } from "@/lib/workspace/paths";
import { runRecords } from "@/lib/workspace/records-source";
import path from "node:path";

const KEY_COLUMNS = ["task", "subtask", "instance_id", "sample", "instance_hash", "cluster_id"] as const;

/** Finished runs' questions by run, content hash and metric: a series page asks for the same runs again and again. */
const cache = new Map<string, Promise<RunQuestions>>();
const CACHE_RUNS = 1000;

/**
 * A run's comparison columns for one metric, read in Node with the browser's Parquet reader:
 * compare.parquet for the primary metric of a finished run, else records.parquet (or an open run's
 * journal snapshot) with the metric taken from `scores` by the CLI's rule.
 */
export async function readRunColumns(workspace: string, manifest: RunManifest, metric: string): Promise<RunColumns> {
  const primary = metric === manifest.primary_metric;
  // compare.parquet holds exactly these columns for the primary metric; other metrics live in `scores`
  const source =
    primary && manifest.records?.compare
      ? { file: path.join(runDir(workspace, manifest.run_id), COMPARE_FILE) }
      : runRecords(workspace, manifest.run_id);
  const file = "file" in source ? await asyncBufferFromFile(source.file) : bufferOf(source.bytes);
  const records = recordsFileOf(manifest.run_id, file, await parquetMetadataAsync(file));
  const batch = await readColumns(records, [...KEY_COLUMNS, primary ? "score" : "scores"]);
  const c = batch.columns;
  return {
    task: c.task!,
    subtask: c.subtask!,
    instance_id: c.instance_id!,
    sample: c.sample!,
    instance_hash: c.instance_hash!,
    cluster_id: c.cluster_id!,
    score: primary ? c.score! : metricScores(c.scores!, metric),
  };
}

/** A run's questions (samples averaged) for one metric; finished runs' are kept for the next request. */
export function readRunQuestions(workspace: string, manifest: RunManifest, metric: string): Promise<RunQuestions> {
  const read = async () => runQuestions(await readRunColumns(workspace, manifest, metric));
  if (!manifest.records) return read(); // open runs change: never cached
  const key = JSON.stringify([workspace, manifest.run_id, manifest.records.sha256, metric]);
  let questions = cache.get(key);
  if (!questions) {
    questions = read();
    questions.catch(() => cache.delete(key));
    if (cache.size >= CACHE_RUNS) cache.delete(cache.keys().next().value!);
    cache.set(key, questions);
  }
  return questions;
}
