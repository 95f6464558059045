import { parquetMetadataAsync } from "hyparquet";
import { runRecordsBuffer } from "@/lib/workspace/store";
import { INDEX_COLUMNS, readColumns, type ColumnBatch } from "./columns";
import { recordsFileOf } from "./records-file";

/** Rows rendered into the run page's HTML: enough to fill a screen before any script runs. */
export const SERVER_PREVIEW_ROWS = 60;

/**
 * The index columns of a run's first rows, read on the server so the page arrives with its first
 * screen of questions already in it. Null when they cannot be read: the browser then reads the
 * records itself and reports why that fails.
 */
export async function readServerPreview(workspace: string, runId: string): Promise<ColumnBatch | null> {
  try {
    const file = await runRecordsBuffer(workspace, runId);
    const records = recordsFileOf(runId, file, await parquetMetadataAsync(file));
    return await readColumns(records, INDEX_COLUMNS, { rowStart: 0, rowEnd: Math.min(records.rows, SERVER_PREVIEW_ROWS) });
  } catch {
    return null;
  }
}
