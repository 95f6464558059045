/// <reference lib="webworker" />
// The compare table's response and target text, read off the main thread: a new sort or scope
// shows rows from many row groups, and decoding those long text columns on the main thread held
// back the table and statistics. Only the asked rows' text is posted back.
import { readColumns, type ColumnBatch } from "./columns";
import { openRecordsFile, rowGroupOf, type RecordsFile, type RunSource } from "./records-file";

/** Text a table may show beside the scores: the compare table reads response and target, the run page the prompt too. */
export type RowTextColumn = "prompt" | "response" | "target";
/** Row groups kept: enough for a screen of rows sorted by difference, which scatters across groups. */
const CACHED_GROUPS = 48;
const groups = new Map<string, Promise<ColumnBatch>>();

/** A column that was not asked for is null. */
export type RowText = Record<RowTextColumn, string | null>;

export interface RowTextRequest {
  id: number;
  source: RunSource;
  rows: number[];
  columns: RowTextColumn[];
}

/** `texts[i]` belongs to `rows[i]` of the request. */
export type RowTextResponse = { id: number; texts: RowText[] } | { id: number; error: string };

function readGroup(records: RecordsFile, version: string, row: number, columns: RowTextColumn[]): Promise<ColumnBatch> {
  const range = rowGroupOf(records, row);
  const key = `${records.runId}\u0000${version}\u0000${range.rowStart}\u0000${columns.join(",")}`;
  let group = groups.get(key);
  if (group) groups.delete(key); // re-inserted below: Map order is the recency order
  else {
    group = readColumns(records, columns, range);
    group.catch(() => groups.delete(key));
  }
  groups.set(key, group);
  while (groups.size > CACHED_GROUPS) groups.delete(groups.keys().next().value!);
  return group;
}

async function rowTexts({ source, rows, columns }: RowTextRequest): Promise<RowText[]> {
  const records = await openRecordsFile(source);
  const batches = await Promise.all(rows.map((row) => readGroup(records, source.version ?? "", row, columns)));
  return rows.map((row, i) => {
    const batch = batches[i];
    const at = (column: RowTextColumn) => {
      const value = batch.columns[column]?.[row - batch.rowStart];
      return value === null || value === undefined ? null : String(value);
    };
    return { prompt: at("prompt"), response: at("response"), target: at("target") };
  });
}

const post = (message: RowTextResponse) => self.postMessage(message);

self.onmessage = (event: MessageEvent<RowTextRequest>) => {
  const request = event.data;
  rowTexts(request).then(
    (texts) => post({ id: request.id, texts }),
    (error: unknown) => post({ id: request.id, error: (error as Error).message }),
  );
};
