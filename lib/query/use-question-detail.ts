import { useEffect, useState } from "react";
import { RECORD_COLUMNS, type RecordColumn } from "@/lib/schema";
import { readColumns, type CellValue, type ColumnBatch } from "./columns";
import { openRecordsFile, rowGroupOf, type RecordsFile } from "./records-file";
import type { RunSource } from "./use-run-questions";

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
  const [state, setState] = useState<{ detail: QuestionDetail | null; error: string | null; loading: boolean }>({
    detail: null,
    error: null,
    loading: false,
  });
  const { runId, byteLength, version = "" } = source;
  useEffect(() => {
    if (row === null) {
      setState({ detail: null, error: null, loading: false });
      return;
    }
    let cancelled = false;
    setState((s) => ({ ...s, loading: true }));
    (async () => {
      const records = await openRecordsFile(runId, byteLength, version);
      const group = await readGroup(records, row, version);
      const detail = { row } as QuestionDetail;
      for (const column of ALL_COLUMNS) detail[column] = group.columns[column]?.[row - group.rowStart] ?? null;
      return detail;
    })().then(
      (detail) => !cancelled && setState({ detail, error: null, loading: false }),
      (error: unknown) => !cancelled && setState({ detail: null, error: (error as Error).message, loading: false }),
    );
    return () => {
      cancelled = true;
    };
  }, [runId, byteLength, version, row]);
  return state;
}
