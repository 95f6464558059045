import { describe, expect, it } from "vitest";
import { pageCounts } from "./page-headers";

/** Thrift compact protocol pieces, to write page headers by hand. */
const varint = (n: number): number[] => {
  const out: number[] = [];
  for (; n >= 0x80; n = Math.floor(n / 0x80)) out.push((n % 0x80) | 0x80);
  return [...out, n];
};
const zigzag = (n: number) => varint(n >= 0 ? 2 * n : -2 * n - 1);
const i32 = (delta: number, n: number) => [(delta << 4) | 5, ...zigzag(n)];

/** A page header: type, both sizes (compressed `size`), then `body` (the page's own header and any other fields), and `size` bytes of page. */
const page = (size: number, body: number[]) => [...i32(1, 0), ...i32(1, size), ...i32(1, size), ...body, 0, ...new Array<number>(size).fill(0xee)];

describe("pageCounts", () => {
  it("reads each page's declared values, data (v1, v2) and dictionary, stepping over the pages' bytes", () => {
    const bytes = Uint8Array.from([
      0xaa, // a byte before the chunk
      ...page(3, [0x4c, ...i32(1, 7), 0]), // field 7: DictionaryPageHeader
      ...page(2, [0x2c, ...i32(1, 1000), 0]), // field 5: DataPageHeader
      ...page(0, [0x5c, ...i32(1, 2 ** 31 - 1), ...i32(1, 4), 0x11, 0]), // field 8: DataPageHeaderV2, with a true boolean
      ...page(1, [0x1c, 0]), // an index page header: no values
    ]);
    const counts = pageCounts(bytes, 1, bytes.length);
    expect(counts.map((p) => p.numValues)).toEqual([7, 1000, 2 ** 31 - 1, 0]);
    expect(counts[0].offset).toBe(1);
  });

  it("steps over fields of every other type, long-form field ids and nested structs", () => {
    const skipped = [
      0x13, 0x7f, // byte
      0x16, ...zigzag(-(2 ** 40)), // i64
      0x17, 1, 2, 3, 4, 5, 6, 7, 8, // double
      0x18, ...varint(3), 0x15, 0x15, 0x15, // binary that looks like fields
      0x19, 0x21, 1, 2, // list of two booleans, a byte each
      0x1a, 0xf5, ...varint(16), ...new Array<number>(16).fill(0).flatMap((_, i) => zigzag(i)), // set of 16 i32s, its size in a varint
      0x1b, ...varint(2), 0x5c, ...zigzag(1), 0x15, ...zigzag(9), 0, ...zigzag(2), 0, // map i32 -> struct
      0x1b, 0, // empty map
      0x1c, 0x15, ...zigzag(99), 0x19, 0x1c, 0x15, 2, 0, 0, // struct holding a list of one struct
      0x05, ...zigzag(100), ...zigzag(5), // i32 with a long-form field id
    ];
    const bytes = Uint8Array.from(page(1, [...skipped, 0x0c, ...zigzag(5), 0x15, ...zigzag(42), 0]));
    // field 5 reached by a long-form id after field 100: the page's DataPageHeader all the same
    expect(pageCounts(bytes, 0, bytes.length)).toEqual([{ offset: 0, numValues: 42 }]);
  });

  it("refuses a header that runs past its chunk, one without a compressed size, and a field of unknown type", () => {
    const whole = Uint8Array.from(page(2, [0x2c, ...i32(1, 5), 0]));
    expect(() => pageCounts(whole, 0, 4)).toThrow(/^a page header runs past its column chunk$/);
    expect(() => pageCounts(Uint8Array.from([...i32(1, 0), 0]), 0, 3)).toThrow(/^a page header has no compressed size$/);
    expect(() => pageCounts(Uint8Array.from([...i32(1, 0), ...i32(2, -1), 0]), 0, 6)).toThrow(/^a page header has no compressed size$/);
    expect(() => pageCounts(Uint8Array.from([0x1d, 0]), 0, 2)).toThrow(/^a page header holds a field of unknown type 13$/);
  });
});
