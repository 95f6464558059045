import fs from "node:fs";
import path from "node:path";
import { asyncBufferFromFile, parquetMetadata, parquetMetadataAsync, type AsyncBuffer, type FileMetaData } from "hyparquet";
import { beforeAll, describe, expect, it } from "vitest";
import { RunWriter } from "@/lib/workspace/run-writer";
import { RECORDS_FILE, runDir } from "@/lib/workspace/paths";
import { newRun, record, tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { batchToArrow } from "./arrow";
import { concatBatches, INDEX_COLUMNS, readColumns, SEARCH_COLUMNS, stringFromBytes } from "./columns";
import { recordsFileOf, rowGroupOf, type RecordsFile } from "./records-file";

const ROWS = 2500; // three row groups of 1000, 1000 and 500

/** The run's records.parquet, counting the reads that reach the file. */
async function openCounting(file: string): Promise<{ records: RecordsFile; reads: () => number }> {
  const raw = await asyncBufferFromFile(file);
  let reads = 0;
  const counted: AsyncBuffer = { byteLength: raw.byteLength, slice: (start, end) => (reads++, raw.slice(start, end)) };
  const records = recordsFileOf("r", counted, await parquetMetadataAsync(raw));
  return { records, reads: () => reads };
}

let file: string;
beforeAll(() => {
  const workspace = tempWorkspace();
  const writer = RunWriter.create(workspace, newRun({ run_id: "r" }));
  for (let i = 0; i < ROWS; i++) {
    writer.append(record(i, { subtask: i % 2 ? "odd" : null, error: i === 1234 ? "boom" : null, score: i === 1234 ? null : i % 2, latency_ms: i }));
  }
  writer.finalize();
  file = path.join(runDir(workspace, "r"), RECORDS_FILE);
});

describe("readColumns", () => {
  it("reads the index columns of every row, nulls included", async () => {
    const { records } = await openCounting(file);
    expect(records.rowGroupStarts).toEqual([0, 1000, 2000, 2500]);
    const batch = await readColumns(records, INDEX_COLUMNS);
    expect(batch.length).toBe(ROWS);
    expect(batch.columns.instance_id![2499]).toBe("q02499");
    expect(batch.columns.subtask![0]).toBeNull();
    expect(batch.columns.subtask![1]).toBe("odd");
    expect(batch.columns.error![1234]).toBe("boom");
    expect(batch.columns.score![1234]).toBeNull();
    expect(batch.columns.prompt).toBeUndefined();
  });

  it("reads only a row range's groups, with one merged request for the columns of a group", async () => {
    const { records, reads } = await openCounting(file);
    const batch = await readColumns(records, SEARCH_COLUMNS, { rowStart: 1500, rowEnd: 1503 });
    expect(batch.columns.prompt).toEqual(["Question 1500?", "Question 1501?", "Question 1502?"]);
    expect(reads()).toBe(1);
  });

  it("concatenates a first group and the rest into one batch", async () => {
    const { records } = await openCounting(file);
    const first = await readColumns(records, ["instance_id"], { rowStart: 0, rowEnd: 1000 });
    const rest = await readColumns(records, ["instance_id"], { rowStart: 1000, rowEnd: ROWS });
    const all = concatBatches(first, rest);
    expect(all.length).toBe(ROWS);
    expect(all.columns.instance_id![1000]).toBe("q01000");
  });

  it("maps a row to its group", async () => {
    const { records } = await openCounting(file);
    expect(rowGroupOf(records, 0)).toEqual({ rowStart: 0, rowEnd: 1000 });
    expect(rowGroupOf(records, 1999)).toEqual({ rowStart: 1000, rowEnd: 2000 });
    expect(rowGroupOf(records, 2499)).toEqual({ rowStart: 2000, rowEnd: 2500 });
  });
});

describe("readColumns' limit on what one read unpacks", () => {
  const MB = 1 << 20;

  it("refuses a read whose footer declares more than the limit, before fetching a byte of it", async () => {
    const { records, reads } = await openCounting(file);
    const declared = (column: string) =>
      records.metadata.row_groups.flatMap((g) => g.columns).reduce((sum, c) => sum + (c.meta_data!.path_in_schema[0] === column ? Number(c.meta_data!.total_uncompressed_size) : 0), 0);
    // the text and the cells (8 bytes each) of both columns; prompt's text is the larger
    const bytes = declared("prompt") + declared("score") + 2 * ROWS * 8;
    expect(declared("prompt")).toBeGreaterThan(declared("score") + ROWS * 8);
    await expect(readColumns(records, ["score", "prompt"], undefined, bytes - 1)).rejects.toThrow(
      /^cannot read the records of run r: they would unpack to 1 MB, over the 0 MB one read may hold, most of it in column prompt \(docs\/security.md\): a small file that unpacks this far is a decompression bomb; if the run is genuine, compare it with `evalbench compare`$/,
    );
    expect(reads()).toBe(0);
    // at exactly the declared size it reads
    expect((await readColumns(records, ["score", "prompt"], undefined, bytes)).columns.prompt![2499]).toBe("Question 2499?");
  });

  it("refuses a dictionary that repeats one long value for every row, which the footer's sizes do not show", async () => {
    const workspace = tempWorkspace();
    const writer = RunWriter.create(workspace, newRun({ run_id: "bomb" }));
    const long = "x".repeat(10_000);
    for (let i = 0; i < ROWS; i++) writer.append(record(i, { subtask: long }));
    writer.finalize();
    const { records } = await openCounting(path.join(runDir(workspace, "bomb"), RECORDS_FILE));
    // the footer declares the one value once per row group: 30 KB for 25 MB of text
    const declared = records.metadata.row_groups.flatMap((g) => g.columns).filter((c) => c.meta_data!.path_in_schema[0] === "subtask");
    expect(declared.reduce((sum, c) => sum + Number(c.meta_data!.total_uncompressed_size), 0)).toBeLessThan(MB);
    await expect(readColumns(records, ["instance_id", "subtask"], undefined, 5 * MB)).rejects.toThrow(
      /^cannot read the records of run r: they unpack to more than the 5 MB one read may hold, most of it in column subtask \(docs\/security.md\)/,
    );
    const whole = await readColumns(records, ["instance_id", "subtask"], undefined, 30 * MB);
    expect(whole.columns.subtask![2499]).toBe(long);
  });

  /**
   * A run's records whose first page of `column` (its dictionary page if it has one) declares
   * `declare(its true size)` unpacked in its header, while the footer still declares the chunk's true size: the
   * header's size field (thrift field 2, a zigzag varint) rewritten as 5 bytes, and the footer's
   * offsets and compressed size moved by the bytes it grew.
   */
  function withPageHeaderSize(column: string, declare: (trueBytes: number) => number): RecordsFile {
    const workspace = tempWorkspace();
    const writer = RunWriter.create(workspace, newRun({ run_id: "liar" }));
    for (let i = 0; i < 10; i++) writer.append(record(i, { subtask: "same" }));
    writer.finalize();
    const original = fs.readFileSync(path.join(runDir(workspace, "liar"), RECORDS_FILE));
    const metadata = parquetMetadata(original.buffer.slice(original.byteOffset, original.byteOffset + original.byteLength));
    const chunk = metadata.row_groups[0].columns.find((c) => c.meta_data!.path_in_schema[0] === column)!.meta_data!;
    const page = Number(chunk.dictionary_page_offset ?? chunk.data_page_offset);
    // field 1 (type) then field 2 (uncompressed size), each a 0x15 byte and a varint
    let at = page + 1;
    while (original[at] & 0x80) at++;
    expect(original[at + 1]).toBe(0x15);
    const sizeStart = at + 2;
    let sizeEnd = sizeStart;
    let trueZigzag = 0;
    for (; ; sizeEnd++) {
      trueZigzag += (original[sizeEnd] & 0x7f) * 2 ** (7 * (sizeEnd - sizeStart));
      if (!(original[sizeEnd] & 0x80)) break;
    }
    const zigzag = 2 * declare(trueZigzag / 2);
    const varint = [0, 1, 2, 3, 4].map((i) => Math.floor(zigzag / 2 ** (7 * i)) % 128 | (i < 4 ? 0x80 : 0));
    const bytes = Buffer.concat([original.subarray(0, sizeStart), Buffer.from(varint), original.subarray(sizeEnd + 1)]);
    const grown = BigInt(varint.length - (sizeEnd + 1 - sizeStart));
    chunk.total_compressed_size += grown;
    if (chunk.dictionary_page_offset !== undefined) chunk.data_page_offset += grown;
    const file: AsyncBuffer = { byteLength: bytes.byteLength, slice: (start, end) => bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + (end ?? bytes.byteLength)) };
    return recordsFileOf("liar", file, metadata);
  }

  it("refuses a page whose header declares more than the footer's size of its column chunk, before allocating it", async () => {
    // 1 GB: hyparquet would allocate it whole before decoding a byte
    await expect(readColumns(withPageHeaderSize("prompt", () => 1 << 30), ["prompt"])).rejects.toThrow(
      /^cannot read the records of run liar: a page header declares 1024 MB unpacked, more than the 1 KB the footer declares for the column chunks read \(docs\/security.md\): the file is damaged or made to exhaust memory; write the run again, or import it again from its source$/,
    );
    // a dictionary page is checked the same way
    await expect(readColumns(withPageHeaderSize("subtask", () => 1 << 30), ["subtask"])).rejects.toThrow(/a page header declares 1024 MB unpacked/);
    // the same surgery keeping the true sizes reads as before: only the size tells them apart
    expect((await readColumns(withPageHeaderSize("prompt", (bytes) => bytes), ["prompt"])).columns.prompt![9]).toBe("Question 9?");
    expect((await readColumns(withPageHeaderSize("subtask", (bytes) => bytes), ["subtask"])).columns.subtask![9]).toBe("same");
  });
});

describe("readColumns' check of the value counts page headers declare", () => {
  /** A 10-row run's records.parquet and its footer, to rewrite. */
  function smallRun(): { original: Buffer; metadata: FileMetaData } {
    const workspace = tempWorkspace();
    const writer = RunWriter.create(workspace, newRun({ run_id: "liar" }));
    for (let i = 0; i < 10; i++) writer.append(record(i, { subtask: "same" }));
    writer.finalize();
    const original = fs.readFileSync(path.join(runDir(workspace, "liar"), RECORDS_FILE));
    return { original, metadata: parquetMetadata(original.buffer.slice(original.byteOffset, original.byteOffset + original.byteLength)) };
  }

  const varintEnd = (bytes: Buffer, at: number) => {
    while (bytes[at] & 0x80) at++;
    return at + 1;
  };

  /**
   * The run with the first data page (or the dictionary page) of `column` declaring `count`
   * values in its header, while the footer still declares the chunk's true count: the header's
   * num_values (field 1 of its DataPageHeader or DictionaryPageHeader, a zigzag varint) rewritten
   * as 5 bytes, the footer's offsets and compressed size moved by the bytes it grew.
   */
  function withPageValues(column: string, page: "data" | "dictionary", count: (trueCount: number) => number): RecordsFile {
    const { original, metadata } = smallRun();
    const chunk = metadata.row_groups[0].columns.find((c) => c.meta_data!.path_in_schema[0] === column)!.meta_data!;
    let at = Number(page === "data" ? chunk.data_page_offset : chunk.dictionary_page_offset);
    // fields 1 to 4 (type, sizes, crc) are i32s: a 0x15 byte and a varint each; then the page's own header struct
    while (original[at] === 0x15) at = varintEnd(original, at + 1);
    expect(original[at] & 0x0f).toBe(12);
    expect(original[at + 1]).toBe(0x15);
    const countStart = at + 2;
    const countEnd = varintEnd(original, countStart);
    let trueZigzag = 0;
    for (let i = countStart; i < countEnd; i++) trueZigzag += (original[i] & 0x7f) * 2 ** (7 * (i - countStart));
    const zigzag = 2 * count(trueZigzag / 2);
    const varint = [0, 1, 2, 3, 4].map((i) => Math.floor(zigzag / 2 ** (7 * i)) % 128 | (i < 4 ? 0x80 : 0));
    const bytes = Buffer.concat([original.subarray(0, countStart), Buffer.from(varint), original.subarray(countEnd)]);
    const grown = BigInt(varint.length - (countEnd - countStart));
    chunk.total_compressed_size += grown;
    if (page === "dictionary") chunk.data_page_offset += grown;
    const file: AsyncBuffer = { byteLength: bytes.byteLength, slice: (start, end) => bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + (end ?? bytes.byteLength)) };
    return recordsFileOf("liar", file, metadata);
  }

  it("refuses a page declaring more values than its whole column chunk, before hyparquet sizes an array by it", async () => {
    // 2^31 - 1 definition levels or delta-decoded integers: arrays of gigabytes from a few bytes
    await expect(readColumns(withPageValues("score", "data", () => 2 ** 31 - 1), ["score"])).rejects.toThrow(
      /^cannot read the records of run liar: a page header of column score declares 2147483647 values, more than the 10 the footer declares for its column chunk \(docs\/security.md\): the file is damaged or made to exhaust memory; write the run again, or import it again from its source$/,
    );
    await expect(readColumns(withPageValues("subtask", "dictionary", () => 11), ["subtask"])).rejects.toThrow(/a page header of column subtask declares 11 values, more than the 10 /);
    // read with other columns, the chunk is checked inside the merged range fetched
    await expect(readColumns(withPageValues("score", "data", () => 11), ["instance_id", "score", "prompt"])).rejects.toThrow(/column score declares 11 values/);
    // the same surgery keeping the true counts reads as before: only the count tells them apart
    expect((await readColumns(withPageValues("score", "data", (n) => n), ["score"])).columns.score).toEqual([0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
    expect((await readColumns(withPageValues("subtask", "dictionary", (n) => n), ["subtask"])).columns.subtask![9]).toBe("same");
  });

  it("counts the values a footer declares for the chunks read, when more than the rows read", async () => {
    const { original, metadata } = smallRun();
    metadata.row_groups[0].columns.find((c) => c.meta_data!.path_in_schema[0] === "score")!.meta_data!.num_values = 2n ** 31n;
    const bytes = Buffer.concat([original]);
    const file: AsyncBuffer = { byteLength: bytes.byteLength, slice: (start, end) => bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + (end ?? bytes.byteLength)) };
    await expect(readColumns(recordsFileOf("liar", file, metadata), ["score"], { rowStart: 0, rowEnd: 2 })).rejects.toThrow(/^cannot read the records of run liar: they would unpack to 16385 MB, over the 512 MB one read may hold, most of it in column score/);
  });
});

describe("batchToArrow", () => {
  it("keeps values, nulls and types, and numbers rows from the batch's start", async () => {
    const { records } = await openCounting(file);
    const batch = await readColumns(records, INDEX_COLUMNS, { rowStart: 1000, rowEnd: 2000 });
    const table = batchToArrow(batch);
    expect(table.numRows).toBe(1000);
    expect(table.getChild("row")!.get(0)).toBe(1000);
    expect(table.getChild("instance_id")!.get(234)).toBe("q01234");
    expect(table.getChild("error")!.get(234)).toBe("boom");
    expect(table.getChild("error")!.nullCount).toBe(999);
    expect(table.getChild("score")!.get(234)).toBeNull();
    expect(table.getChild("score")!.get(1)).toBe(1);
    expect(table.getChild("sample")!.type.toString()).toBe("Int32");
    expect(table.getChild("latency_ms")!.get(5)).toBe(1005);
    expect(String(table.getChild("subtask")!.type)).toBe("Utf8");
  });

  it("encodes non-ASCII text", () => {
    const table = batchToArrow({ rowStart: 0, length: 3, columns: { response: ["héllo ✓", null, "日本語 🎉"] } });
    expect(table.getChild("response")!.toArray()).toEqual(["héllo ✓", null, "日本語 🎉"]);
  });
});

describe("stringFromBytes", () => {
  it("decodes exactly what TextDecoder does: ASCII, empty, accents, emoji, long text, invalid UTF-8", () => {
    const encoder = new TextEncoder();
    const texts = ["q000123", "", "naïve café", "数学 🧮", "x".repeat(64), "y".repeat(65), "a\u0000b", "\u007f", "é".repeat(40)];
    for (const text of texts) expect(stringFromBytes(encoder.encode(text))).toBe(text);
    const invalid = new Uint8Array([0x61, 0xff, 0x62, 0xc3]);
    expect(stringFromBytes(invalid)).toBe(new TextDecoder().decode(invalid));
  });
});
