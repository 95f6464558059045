import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { JournalCorruptError, readJournal } from "./journal";
import { tempWorkspace } from "./testing/fixtures";

function journal(text: string): string {
  const file = path.join(tempWorkspace(), "records.ndjson");
  fs.writeFileSync(file, text);
  return file;
}

describe("readJournal", () => {
  it("a damaged line before the end raises, naming the line: no record after it is silently lost", () => {
    const file = journal('{"n":1}\n{"n":2, damaged\n{"n":3}\n');
    const read: unknown[] = [];
    expect(() => {
      for (const { record } of readJournal(file)) read.push(record);
    }).toThrow(JournalCorruptError);
    expect(() => [...readJournal(file)]).toThrow(/records\.ndjson line 2 is not a valid record .*damaged before its end/);
    expect(read).toEqual([{ n: 1 }]);
  });

  it("only a last line without its newline (a kill mid-write) is dropped, and reported", () => {
    const tails: number[] = [];
    const file = journal('{"n":1}\n\n{"n":2}\n{"n":3, "cut');
    expect([...readJournal(file, (line) => tails.push(line))]).toEqual([{ line: 1, record: { n: 1 } }, { line: 3, record: { n: 2 } }]);
    expect(tails).toEqual([4]);
  });
});
