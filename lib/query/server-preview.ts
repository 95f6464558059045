import { asyncBufferFromFile, parquetMetadataAsync, type AsyncBuffer } from "hyparquet";
import { runRecords } from "@/lib/workspace/records-source";
import { INDEX_COLUMNS, readColumns, type ColumnBatch } from "./columns";
import { recordsFileOf } from "./records-file";

/** Rows rendered into the run page's HTML: enough to fill a screen before any script runs. */
export const SERVER_PREVIEW_ROWS = 60;

/** Bytes in memory (an open run's snapshot) as hyparquet's AsyncBuffer. */
export function bufferOf(bytes: Uint8Array<ArrayBuffer>): AsyncBuffer {
  return { byteLength: bytes.byteLength, slice: (start, end) => bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + (end ?? bytes.byteLength)) };
}

/**
 * The index columns of a run's first rows, read on the server so the page arrives with its first
 * screen of questions already in it. Null when they cannot be read: the browser then reads the
 * records itself and reports why that fails.
 */
export async function readServerPreview(workspace: string, runId: string): Promise<ColumnBatch | null> {
  try {
    const source = runRecords(workspace, runId);
    const file = "file" in source ? await asyncBufferFromFile(source.file) : bufferOf(source.bytes);
    const records = recordsFileOf(runId, file, await parquetMetadataAsync(file));
    return await readColumns(records, INDEX_COLUMNS, { rowStart: 0, rowEnd: Math.min(records.rows, SERVER_PREVIEW_ROWS) });
  } catch {
    return null;
  }
}
