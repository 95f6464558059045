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

/** A finalized run's compare.parquet (lib/workspace writes it beside records.parquet). */
export function compareFileUrl(runId: string): string {
  return `/api/files/runs/${encodeURIComponent(runId)}/compare.parquet`;
}

/** Which run's records to read. */
export interface RunSource {
  runId: string;
  /** manifest.records.bytes of a finalized run: saves a request. */
  byteLength?: number;
  /** Changes whenever the records change (a new snapshot of an open run). */
  version?: string;
  /** manifest.records.compare.bytes: the run has a compare.parquet (runs written before it have none). */
  compareBytes?: number;
  /** Rows the manifest counts: the total shown before the file's footer is read. */
  rows?: number;
  /** Where records.parquet and compare.parquet are, when not the app's routes: a published viewer's copies. */
  urls?: { records: string; compare?: string };
  /**
   * The run is still being written: the server rebuilds its snapshot as the journal grows, so
   * range requests could mix two snapshots. Read it whole, in one consistent request.
   */
  live?: boolean;
}

const opened = new Map<string, Promise<RecordsFile>>();

/** What names one version of a run's records: the cache key of everything read from them. */
const sourceKey = (source: RunSource) => JSON.stringify([source.runId, source.byteLength, source.version, source.live, source.urls?.records]);

/** Opens a run's records once per page and version. */
export function openRecordsFile(source: RunSource): Promise<RecordsFile> {
  const key = sourceKey(source);
  let file = opened.get(key);
  if (!file) {
    file = open(source).catch((error: unknown) => {
      opened.delete(key);
      throw error instanceof RecordsReadError ? error : new RecordsReadError(source.runId, error);
    });
    opened.set(key, file);
  }
  return file;
}

async function open({ runId, byteLength, live, urls }: RunSource): Promise<RecordsFile> {
  const url = urls?.records ?? recordsUrl(runId);
  const file = live ? await fetchWhole(url) : await asyncBufferFromUrl({ url, byteLength });
  return recordsFileOf(runId, file, await parquetMetadataAsync(file));
}

/** A file in one request, held in memory. */
async function fetchWhole(url: string): Promise<AsyncBuffer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  const bytes = await response.arrayBuffer();
  return { byteLength: bytes.byteLength, slice: (start, end) => bytes.slice(start, end) };
}

/**
 * The run's compare.parquet, read whole in one request (about 1 MB per 100,000 questions): the
 * comparison's columns, rows in the order of records.parquet.
 */
export async function openCompareFile({ runId, urls }: RunSource): Promise<RecordsFile> {
  try {
    const file = await fetchWhole(urls?.compare ?? compareFileUrl(runId));
    return recordsFileOf(runId, file, await parquetMetadataAsync(file));
  } catch (error) {
    throw new RecordsReadError(runId, error);
  }
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
