/**
 * The value counts a column chunk's page headers declare, read from its bytes before hyparquet
 * decodes any of it. hyparquet sizes a page's arrays by that count (see read-limit.ts), and offers
 * no hook between reading a header and decoding its page, so the headers are walked here.
 */

/** One page: where its header starts, the values it declares, and its stored size. */
export interface PageCount {
  offset: number;
  numValues: number;
}

/** A reader of Thrift's compact protocol (Parquet's page headers), enough to read and skip fields. */
class CompactReader {
  constructor(
    private readonly bytes: Uint8Array,
    public offset: number,
  ) {}

  private byte(): number {
    if (this.offset >= this.bytes.length) throw new RangeError("a page header runs past its column chunk");
    return this.bytes[this.offset++];
  }

  /** An unsigned varint, exact up to 2^53. */
  varint(): number {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const b = this.byte();
      value += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return value;
    }
  }

  /** A zigzag-encoded integer (i16, i32, i64). */
  int(): number {
    const n = this.varint();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  /** A struct's integer fields by id, nested structs read the same way, everything else skipped. */
  struct(): Map<number, number | Map<number, unknown>> {
    const fields = new Map<number, number | Map<number, unknown>>();
    let id = 0;
    for (;;) {
      const head = this.byte();
      const type = head & 0x0f;
      if (type === 0) return fields;
      id = head >> 4 ? id + (head >> 4) : this.int();
      if (type === 12) fields.set(id, this.struct());
      else if (type >= 4 && type <= 6) fields.set(id, this.int());
      else this.skip(type);
    }
  }

  private skip(type: number): void {
    if (type === 1 || type === 2) return; // booleans live in the field header
    if (type === 3) this.offset += 1;
    else if (type >= 4 && type <= 6) this.varint();
    else if (type === 7) this.offset += 8;
    else if (type === 8) this.offset += this.varint();
    else if (type === 9 || type === 10) {
      const head = this.byte();
      const size = head >> 4 === 15 ? this.varint() : head >> 4;
      for (let i = 0; i < size; i++) this.skipElement(head & 0x0f);
    } else if (type === 11) {
      const size = this.varint();
      const types = size > 0 ? this.byte() : 0;
      for (let i = 0; i < size; i++) {
        this.skipElement(types >> 4);
        this.skipElement(types & 0x0f);
      }
    } else if (type === 12) this.struct();
    else throw new RangeError(`a page header holds a field of unknown type ${type}`);
  }

  /** In lists, sets and maps a boolean takes a byte of its own. */
  private skipElement(type: number): void {
    if (type === 1 || type === 2) this.offset += 1;
    else this.skip(type);
  }
}

const DATA_PAGE_HEADER = 5;
const DICTIONARY_PAGE_HEADER = 7;
const DATA_PAGE_HEADER_V2 = 8;
const COMPRESSED_PAGE_SIZE = 3;

/** Every page of a column chunk held in `bytes` from `start` to `end`, with the values its header declares. */
export function pageCounts(bytes: Uint8Array, start: number, end: number): PageCount[] {
  const pages: PageCount[] = [];
  const reader = new CompactReader(bytes.subarray(0, end), start);
  while (reader.offset < end) {
    const offset = reader.offset;
    const header = reader.struct();
    const page = [DATA_PAGE_HEADER, DICTIONARY_PAGE_HEADER, DATA_PAGE_HEADER_V2].map((id) => header.get(id)).find((h) => h instanceof Map);
    const numValues = page?.get(1);
    pages.push({ offset, numValues: typeof numValues === "number" ? numValues : 0 });
    const size = header.get(COMPRESSED_PAGE_SIZE);
    if (typeof size !== "number" || size < 0) throw new RangeError("a page header has no compressed size");
    reader.offset += size;
  }
  return pages;
}
