import fs from "node:fs";
import type { QuestionRecord } from "@/lib/schema";

/**
 * The run's journal: finished records as NDJSON, appended one batch per write. It is the record of
 * truth while a run is open; killing the writer at any moment loses at most its unflushed batch,
 * and a line cut short by the kill is recognised and skipped when the journal is read.
 */
export class JournalWriter {
  private readonly fd: number;

  constructor(readonly file: string) {
    this.fd = fs.openSync(file, "a");
  }

  /**
   * Appends the records and returns the text written, which the Parquet encoder reads in turn and
   * a bucket's sync reads back from the file: all of it is written, or the write raises.
   */
  append(records: readonly QuestionRecord[]): string {
    const text = toNdjson(records);
    const bytes = Buffer.from(text);
    // a write may take only part (a disk filling up): the rest follows, or its error is raised
    for (let written = 0; written < bytes.length; ) written += fs.writeSync(this.fd, bytes, written);
    return text;
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

/** Records as journal text: one JSON object a line. */
export function toNdjson(records: readonly QuestionRecord[]): string {
  let text = "";
  for (const record of records) text += `${JSON.stringify(record)}\n`;
  return text;
}

export interface JournalLine {
  /** 1-based line number in the journal file. */
  line: number;
  record: unknown;
}

export class JournalCorruptError extends Error {
  constructor(file: string, line: number, reason: string) {
    super(`${file} line ${line} is not a valid record (${reason}); the journal is damaged before its end, so it was not read further`);
    this.name = "JournalCorruptError";
  }
}

const CHUNK_BYTES = 8 << 20;

/**
 * Yields the journal's records line by line, reading in large chunks so memory stays bounded.
 * A final line without its newline is the batch a kill cut short: it is dropped, and
 * `onTruncatedTail` hears of it. A damaged line anywhere else is an error naming the line.
 */
export function* readJournal(file: string, onTruncatedTail?: (line: number) => void): Generator<JournalLine> {
  const fd = fs.openSync(file, "r");
  const decoder = new TextDecoder();
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let pending = "";
  let lineNumber = 0;
  try {
    for (;;) {
      const read = fs.readSync(fd, buffer, 0, CHUNK_BYTES, null);
      if (read === 0) break;
      pending += decoder.decode(buffer.subarray(0, read), { stream: true });
      const lines = pending.split("\n");
      // split always gives at least one piece: the text after the last newline
      pending = lines.pop()!;
      for (const text of lines) {
        lineNumber += 1;
        if (text.length === 0) continue;
        let record: unknown;
        try {
          record = JSON.parse(text);
        } catch (error) {
          throw new JournalCorruptError(file, lineNumber, (error as Error).message);
        }
        yield { line: lineNumber, record };
      }
    }
    pending += decoder.decode();
    if (pending.length > 0) onTruncatedTail?.(lineNumber + 1);
  } finally {
    fs.closeSync(fd);
  }
}
