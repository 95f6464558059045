import fs from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { JournalCorruptError, JournalWriter, readJournal } from "./journal";
import { QuestionRecord } from "@/lib/schema";
import { record, tempWorkspace } from "./testing/fixtures";

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

describe("readJournal: reading in chunks", () => {
  const openFds = () => fs.readdirSync("/proc/self/fd").length;

  it("a character whose UTF-8 bytes straddle two chunks is read whole", () => {
    // the first line ends so that "é" (2 bytes) starts on the last byte of the first 8 MiB chunk
    const chunk = 8 << 20;
    const first = JSON.stringify({ pad: "" });
    const padding = "x".repeat(chunk - first.length - 1 - '{"t":"'.length - 1);
    const text = `${JSON.stringify({ pad: padding })}\n{"t":"é"}\n`;
    expect(Buffer.byteLength(text.slice(0, text.indexOf("é")))).toBe(chunk - 1);
    const records = [...readJournal(journal(text))].map((l) => l.record);
    expect(records[1]).toEqual({ t: "é" });
  });

  it("a journal that ends with its newline has no truncated tail", () => {
    const tails: number[] = [];
    expect([...readJournal(journal('{"n":1}\n'), (line) => tails.push(line))]).toHaveLength(1);
    expect(tails).toEqual([]);
  });

  it("closes the file when read to the end and when a damaged line stops it", () => {
    const before = openFds();
    expect([...readJournal(journal('{"n":1}\n'))]).toHaveLength(1);
    expect(() => [...readJournal(journal('{"n":1}\nnot json\n'))]).toThrow(expect.objectContaining({ name: "JournalCorruptError" }));
    expect(openFds()).toBe(before);
  });
});

describe("JournalWriter", () => {
  it("appends batches as lines, and closing releases the file", () => {
    const file = journal("");
    const before = fs.readdirSync("/proc/self/fd").length;
    const writer = new JournalWriter(file);
    expect(writer.append([{ n: 1 } as never, { n: 2 } as never])).toBe('{"n":1}\n{"n":2}\n');
    writer.append([]);
    writer.append([{ n: 3 } as never]);
    writer.close();
    expect(fs.readdirSync("/proc/self/fd").length).toBe(before);
    expect(fs.readFileSync(file, "utf8")).toBe('{"n":1}\n{"n":2}\n{"n":3}\n');
  });
});

describe("JournalWriter", () => {
  it("writes the rest of a batch the disk took only part of", () => {
    const file = path.join(tempWorkspace(), "records.ndjson");
    const writer = new JournalWriter(file);
    const records = [1, 2, 3].map((i) => QuestionRecord.parse({ ...record(i), run_id: "r" }));
    const write = fs.writeSync;
    // the first write takes 10 bytes only, as a filling disk may
    const short = vi.spyOn(fs, "writeSync").mockImplementationOnce((fd, buffer) => write(fd, (buffer as unknown as Buffer).subarray(0, 10)));
    try {
      const text = writer.append(records);
      expect(short).toHaveBeenCalledTimes(2);
      writer.close();
      expect(fs.readFileSync(file, "utf8")).toBe(text);
      expect([...readJournal(file)].map((line) => line.record)).toEqual(JSON.parse(`[${text.trim().split("\n").join(",")}]`));
    } finally {
      short.mockRestore();
    }
  });
});
