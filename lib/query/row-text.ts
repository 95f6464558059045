import { useEffect, useState } from "react";
import { readColumns, type ColumnBatch } from "./columns";
import { openRecordsFile, rowGroupOf, type RecordsFile, type RunSource } from "./records-file";

/** Text the compare table shows beside the scores. */
const TABLE_TEXT = ["response", "target"] as const;
/** Row groups kept: enough for a screen of rows sorted by difference, which scatters across groups. */
const CACHED_GROUPS = 48;
const groups = new Map<string, Promise<ColumnBatch>>();

function readGroup(records: RecordsFile, version: string, row: number): Promise<ColumnBatch> {
  const range = rowGroupOf(records, row);
  const key = `${records.runId}\u0000${version}\u0000${range.rowStart}`;
  let group = groups.get(key);
  if (group) groups.delete(key); // re-inserted below: Map order is the recency order
  else {
    group = readColumns(records, TABLE_TEXT, range);
    group.catch(() => groups.delete(key));
  }
  groups.set(key, group);
  while (groups.size > CACHED_GROUPS) groups.delete(groups.keys().next().value!);
  return group;
}

export interface RowText {
  response: string | null;
  target: string | null;
}

/**
 * Response and target of the given records of one run, read by row group as rows scroll into
 * view; a row not read yet is undefined.
 */
export function useRowTexts(source: RunSource | null, rows: readonly number[]): (row: number) => RowText | undefined {
  const [batches, setBatches] = useState<{ key: string; list: ColumnBatch[] }>({ key: "", list: [] });
  const sourceKey = source ? JSON.stringify([source.runId, source.byteLength, source.version, source.live]) : "";
  const rowsKey = rows.filter((r) => r >= 0).join(",");
  useEffect(() => {
    if (!source || rowsKey === "") return;
    let cancelled = false;
    (async () => {
      const records = await openRecordsFile(source);
      const wanted = [...new Set(rowsKey.split(",").map(Number))];
      const read = await Promise.all(wanted.map((row) => readGroup(records, source.version ?? "", row)));
      if (!cancelled) setBatches({ key: sourceKey, list: [...new Set(read)] });
    })().catch(() => {}); // text is a convenience here: the detail panel reports read errors
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- sourceKey and rowsKey stand for source and rows
  }, [sourceKey, rowsKey]);
  const list = batches.key === sourceKey ? batches.list : [];
  return (row: number) => {
    const batch = list.find((b) => row >= b.rowStart && row < b.rowStart + b.length);
    if (!batch) return undefined;
    const at = (column: (typeof TABLE_TEXT)[number]) => {
      const value = batch.columns[column]?.[row - batch.rowStart];
      return value === null || value === undefined ? null : String(value);
    };
    return { response: at("response"), target: at("target") };
  };
}
