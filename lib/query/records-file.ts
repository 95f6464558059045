import { asyncBufferFromUrl, parquetMetadataAsync, type AsyncBuffer, type FileMetaData } from "hyparquet";

/** A run's records.parquet opened over HTTP ranges: the footer is read once, columns on demand. */
export interface RecordsFile {
  runId: string;
  file: AsyncBuffer;
  metadata: FileMetaData;
  rows: number;
  /** First row of each row group, plus the total at the end: rowGroupStarts[g]..rowGroupStarts[g+1]. */
  rowGroupStarts: number[];
}

/** The records of a run cannot be read: shown on the page in place of the table. */
export class RecordsReadError extends Error {
  constructor(runId: string, cause: unknown) {
    super(`cannot read the records of run ${runId}: ${(cause as Error).message ?? String(cause)}`);
    this.name = "RecordsReadError";
  }
}

export function recordsUrl(runId: string): string {
  return `/api/runs/${encodeURIComponent(runId)}/records`;
}

const opened = new Map<string, Promise<RecordsFile>>();

/**
 * Opens a run's records once per page. `byteLength` (manifest.records.bytes for a finalized run)
 * saves a request; `version` distinguishes snapshots of a run that is still being written.
 */
export function openRecordsFile(runId: string, byteLength?: number, version = ""): Promise<RecordsFile> {
  const key = `${runId}\u0000${byteLength ?? ""}\u0000${version}`;
  let file = opened.get(key);
  if (!file) {
    file = open(runId, byteLength).catch((error: unknown) => {
      opened.delete(key);
      throw error instanceof RecordsReadError ? error : new RecordsReadError(runId, error);
    });
    opened.set(key, file);
  }
  return file;
}

async function open(runId: string, byteLength?: number): Promise<RecordsFile> {
  const file = await asyncBufferFromUrl({ url: recordsUrl(runId), byteLength });
  return recordsFileOf(runId, file, await parquetMetadataAsync(file));
}

/** A RecordsFile over any AsyncBuffer (HTTP in the browser, a local file on the server). */
export function recordsFileOf(runId: string, file: AsyncBuffer, metadata: FileMetaData): RecordsFile {
  const rowGroupStarts = [0];
  for (const group of metadata.row_groups) rowGroupStarts.push(rowGroupStarts.at(-1)! + Number(group.num_rows));
  return { runId, file, metadata, rows: Number(metadata.num_rows), rowGroupStarts };
}

/** The index of the row group holding `row`. */
export function rowGroupIndex(records: RecordsFile, row: number): number {
  const starts = records.rowGroupStarts;
  let low = 0;
  let high = starts.length - 2;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= row) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** The row group holding `row`, as a half-open row range. */
export function rowGroupOf(records: RecordsFile, row: number): { rowStart: number; rowEnd: number } {
  const group = rowGroupIndex(records, row);
  return { rowStart: records.rowGroupStarts[group], rowEnd: records.rowGroupStarts[group + 1] };
}
