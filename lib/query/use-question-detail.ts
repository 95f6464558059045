import { useEffect, useState } from "react";
import { RECORD_COLUMNS, type RecordColumn } from "@/lib/schema/columns";
import { readColumns, type CellValue, type ColumnBatch } from "./columns";
import { openRecordsFile, rowGroupOf, type RecordsFile, type RunSource } from "./records-file";

export type QuestionDetail = Record<RecordColumn, CellValue> & { row: number };

const ALL_COLUMNS = RECORD_COLUMNS.map((c) => c.name);
/** Row groups whose every column is kept, so stepping through neighbouring questions costs nothing. */
const CACHED_GROUPS = 4;
const groups = new Map<string, Promise<ColumnBatch>>();

/** Every column of the row group holding `row`: one group (1000 rows) is the unit Parquet reads anyway. */
function readGroup(records: RecordsFile, row: number, version: string): Promise<ColumnBatch> {
  const range = rowGroupOf(records, row);
  const key = `${records.runId}\u0000${version}\u0000${range.rowStart}`;
  let group = groups.get(key);
  if (group) {
    groups.delete(key); // re-insert: Map order is the recency order
  } else {
    group = readColumns(records, ALL_COLUMNS, range);
    group.catch(() => groups.delete(key));
  }
  groups.set(key, group);
  while (groups.size > CACHED_GROUPS) groups.delete(groups.keys().next().value!);
  return group;
}

/** All fields of one record (text included), read on demand for the question the user selected. */
export function useQuestionDetail(source: RunSource, row: number | null) {
  const { runId, byteLength, version = "", live, urls } = source;
  const key = JSON.stringify([runId, byteLength, version, live, row]);
  const [state, setState] = useState<{ key: string; detail: QuestionDetail | null; error: string | null }>({ key: "", detail: null, error: null });
  useEffect(() => {
    if (row === null) return;
    let cancelled = false;
    (async () => {
      const records = await openRecordsFile({ runId, byteLength, version, live, urls });
      const group = await readGroup(records, row, version);
      const detail = { row } as QuestionDetail;
      for (const column of ALL_COLUMNS) detail[column] = group.columns[column]?.[row - group.rowStart] ?? null;
      return detail;
    })().then(
      (detail) => !cancelled && setState({ key, detail, error: null }),
      (error: unknown) => !cancelled && setState({ key, detail: null, error: (error as Error).message }),
    );
    return () => {
      cancelled = true;
    };
  }, [key, runId, byteLength, version, live, urls, row]);
  const current = state.key === key;
  return { detail: current ? state.detail : null, error: current ? state.error : null, loading: row !== null && !current };
}
