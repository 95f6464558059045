import { useEffect, useState } from "react";
import type { RunSource } from "./records-file";
import type { RowText, RowTextColumn, RowTextRequest, RowTextResponse } from "./row-text.worker";

export type { RowText, RowTextColumn };

/** One worker for the page: it keeps the row groups it has read for every table that asks. */
let worker: Worker | null = null;
const waiting = new Map<number, { resolve: (texts: RowText[]) => void; reject: (error: Error) => void }>();
let lastId = 0;

function textWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL("./row-text.worker.ts", import.meta.url), { type: "module" });
  worker.onmessage = (event: MessageEvent<RowTextResponse>) => {
    const answer = event.data;
    const request = waiting.get(answer.id);
    waiting.delete(answer.id);
    if ("error" in answer) request?.reject(new Error(answer.error));
    else request?.resolve(answer.texts);
  };
  worker.onerror = (event) => {
    for (const request of waiting.values()) request.reject(new Error(`the text worker failed: ${event.message}`));
    waiting.clear();
  };
  return worker;
}

function readTexts(source: RunSource, rows: number[], columns: RowTextColumn[]): Promise<RowText[]> {
  const id = ++lastId;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    textWorker().postMessage({ id, source, rows, columns } satisfies RowTextRequest);
  });
}

const TABLE_TEXT: readonly RowTextColumn[] = ["response", "target"];

/**
 * Text columns (default: response and target) of the given records of one run, read in a worker
 * as rows scroll into view; a row not read yet is undefined.
 */
export function useRowTexts(source: RunSource | null, rows: readonly number[], columns: readonly RowTextColumn[] = TABLE_TEXT): (row: number) => RowText | undefined {
  const [texts, setTexts] = useState<{ key: string; byRow: Map<number, RowText> }>({ key: "", byRow: new Map() });
  const sourceKey = source ? JSON.stringify([source.runId, source.byteLength, source.version, source.live, columns]) : "";
  const rowsKey = rows.filter((r) => r >= 0).join(",");
  useEffect(() => {
    if (!source || rowsKey === "") return;
    let cancelled = false;
    const wanted = [...new Set(rowsKey.split(",").map(Number))];
    readTexts(source, wanted, [...columns]).then(
      (read) => !cancelled && setTexts({ key: sourceKey, byRow: new Map(wanted.map((row, i) => [row, read[i]])) }),
      () => {}, // text is a convenience here: the detail panel reports read errors
    );
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- sourceKey and rowsKey stand for source, columns and rows
  }, [sourceKey, rowsKey]);
  const byRow = texts.key === sourceKey ? texts.byRow : null;
  return (row: number) => byRow?.get(row);
}
