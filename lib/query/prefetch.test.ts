import type { AsyncBuffer, FileMetaData } from "hyparquet";
import { describe, expect, it } from "vitest";
import { chunkRanges, prefetchedBuffer } from "./prefetch";

function chunk(name: string, start: number, size: number) {
  return { meta_data: { path_in_schema: [name], data_page_offset: BigInt(start), total_compressed_size: BigInt(size) } };
}

// two row groups: small id columns, a 1 MB text column, small score columns
const metadata = {
  row_groups: [0, 1].map((g) => {
    const base = g * 1_100_000;
    return { columns: [chunk("id", base, 1000), chunk("text", base + 1000, 1_000_000), chunk("score", base + 1_001_000, 500), chunk("tokens", base + 1_001_600, 400)] };
  }),
} as unknown as FileMetaData;

describe("chunkRanges", () => {
  it("merges close chunks, also across row groups, and skips far ones", () => {
    expect(chunkRanges(metadata, ["id", "score", "tokens"], 0, 1)).toEqual([
      { start: 0, end: 1000 },
      { start: 1_001_000, end: 1_101_000 }, // group 0's score+tokens and group 1's id
      { start: 2_101_000, end: 2_102_000 },
    ]);
    expect(chunkRanges(metadata, ["text"], 1, 1)).toEqual([{ start: 1_101_000, end: 2_101_000 }]);
  });
});

describe("prefetchedBuffer", () => {
  it("fetches each range once and serves slices inside it from memory", async () => {
    const bytes = Uint8Array.from({ length: 100 }, (_, i) => i);
    const fetched: string[] = [];
    const file: AsyncBuffer = { byteLength: 100, slice: (start, end) => (fetched.push(`${start}-${end}`), bytes.slice(start, end).buffer) };
    const buffer = prefetchedBuffer(file, [{ start: 10, end: 40 }]);
    expect([...new Uint8Array(await buffer.slice(12, 15))]).toEqual([12, 13, 14]);
    expect([...new Uint8Array(await buffer.slice(30, 40))]).toHaveLength(10);
    expect([...new Uint8Array(await buffer.slice(90))]).toEqual([90, 91, 92, 93, 94, 95, 96, 97, 98, 99]);
    expect(fetched).toEqual(["10-40", "90-100"]);
  });
});
