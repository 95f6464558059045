import { readColumns, type CellValue } from "@/lib/query/columns";
import type { RecordsFile } from "@/lib/query/records-file";
import type { RunManifest } from "@/lib/schema";

const TEXT = ["sample", "score", "prompt", "response", "extracted", "target", "error"] as const;

export interface QuestionAtCheckpoint {
  run_id: string;
  step: number | null;
  checkpoint: string | null;
  /** One entry per sample of the question in this run; empty when the run does not have it. */
  samples: Record<(typeof TEXT)[number], CellValue>[];
}

/**
 * A run's Parquet files, opened wherever they are (the workspace in Node, a published viewer's
 * copies by HTTP Range in a browser). `ids` holds task and instance_id in records.parquet's row
 * order: the run's compare.parquet, or the records themselves.
 */
export interface QuestionFiles {
  manifest: RunManifest;
  ids: () => Promise<RecordsFile>;
  records: () => Promise<RecordsFile>;
}

/** One question (task/instance_id) in one run: its rows are found through `ids`, and only their row groups are read. */
async function questionInRun({ manifest, ids, records }: QuestionFiles, questionId: string): Promise<QuestionAtCheckpoint> {
  const index = await readColumns(await ids(), ["task", "instance_id"]);
  const { task, instance_id } = index.columns;
  const rows: number[] = [];
  for (let i = 0; i < index.length; i++) if (`${task![i]}/${instance_id![i]}` === questionId) rows.push(i);
  const at = { run_id: manifest.run_id, step: manifest.model.step, checkpoint: manifest.model.checkpoint };
  if (rows.length === 0) return { ...at, samples: [] };
  const file = await records();
  const samples = await Promise.all(
    rows.map(async (row) => {
      const batch = await readColumns(file, TEXT, { rowStart: row, rowEnd: row + 1 });
      return Object.fromEntries(TEXT.map((c) => [c, batch.columns[c]![0]])) as Record<(typeof TEXT)[number], CellValue>;
    }),
  );
  return { ...at, samples };
}

/** One question in each of several runs, with its prompt, response, extracted answer, target and score: what the trajectory view shows side by side. */
export function questionAcrossRuns(runs: readonly QuestionFiles[], questionId: string): Promise<QuestionAtCheckpoint[]> {
  return Promise.all(runs.map((run) => questionInRun(run, questionId)));
}
