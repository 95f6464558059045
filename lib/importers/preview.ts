import path from "node:path";
import { runExists } from "@/lib/workspace/store";
import { planImport, type SkippedRow } from "./index";
import type { ImportOptions } from "./types";

export interface ImportPreview {
  formats: string[];
  runs: { run_id: string; task: string; model: string; checkpoint: string | null; records: number; exists: boolean }[];
  skipped: SkippedRow[];
}

/** What importing these files would create, without writing anything. */
export async function previewImport(workspace: string, files: string[], options: ImportOptions): Promise<ImportPreview> {
  const plan = await planImport(files, options);
  const held = await Promise.all(plan.runs.map(({ run }) => runExists(workspace, run.run_id)));
  return {
    formats: plan.formats,
    runs: plan.runs.map(({ run, records }, i) => ({
      run_id: run.run_id,
      task: run.task.variant ? `${run.task.name}:${run.task.variant}` : run.task.name,
      model: run.model.name,
      checkpoint: run.model.checkpoint ?? null,
      records: records.length,
      exists: held[i],
    })),
    skipped: plan.skipped.map((row) => ({ ...row, file: path.basename(row.file) })),
  };
}
