import { parquetMetadataAsync } from "hyparquet";
import { readColumns, type CellValue } from "@/lib/query/columns";
import { recordsFileOf } from "@/lib/query/records-file";
import type { RunManifest } from "@/lib/schema";
import { runRecordsBuffer } from "@/lib/workspace/store";
import { readRunColumns } from "@/lib/compare/load-node";

const TEXT = ["sample", "score", "prompt", "response", "extracted", "target", "error"] as const;

export interface QuestionAtCheckpoint {
  run_id: string;
  step: number | null;
  checkpoint: string | null;
  /** One entry per sample of the question in this run; empty when the run does not have it. */
  samples: Record<(typeof TEXT)[number], CellValue>[];
}

/**
 * One question (task/instance_id) in each of several runs, with its prompt, response, extracted
 * answer, target and score: what the trajectory view shows side by side. Rows are found through
 * the comparison columns, which are in records.parquet's order, and only their row groups are read.
 */
export async function questionAcrossRuns(workspace: string, manifests: readonly RunManifest[], questionId: string): Promise<QuestionAtCheckpoint[]> {
  return Promise.all(
    manifests.map(async (m) => {
      const columns = await readRunColumns(workspace, m, m.primary_metric);
      const rows: number[] = [];
      for (let i = 0; i < columns.instance_id.length; i++) if (`${columns.task[i]}/${columns.instance_id[i]}` === questionId) rows.push(i);
      const at = { run_id: m.run_id, step: m.model.step, checkpoint: m.model.checkpoint };
      if (rows.length === 0) return { ...at, samples: [] };
      const file = await runRecordsBuffer(workspace, m.run_id);
      const records = recordsFileOf(m.run_id, file, await parquetMetadataAsync(file));
      const samples = await Promise.all(
        rows.map(async (row) => {
          const batch = await readColumns(records, TEXT, { rowStart: row, rowEnd: row + 1 });
          return Object.fromEntries(TEXT.map((c) => [c, batch.columns[c]![0]])) as Record<(typeof TEXT)[number], CellValue>;
        }),
      );
      return { ...at, samples };
    }),
  );
}
