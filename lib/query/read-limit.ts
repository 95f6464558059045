import { snappyUncompress, type AsyncBuffer, type ColumnMetaData, type Compressors, type FileMetaData } from "hyparquet";
import type { CellValue } from "./columns";
import { pageCounts } from "./page-headers";

/**
 * The most one read of a run's Parquet (readColumns) may unpack, in bytes of text plus 8 per cell.
 * A few kilobytes of Parquet can stand for gigabytes (a long value compressed, or repeated through
 * a dictionary); a page would hold them, then copy them into DuckDB-WASM, and the tab would run
 * out of memory. Real runs stay far below: 100,000 questions with 2 KB of text each is 200 MB.
 */
const READ_LIMIT_MB = 512;
const MB = 1 << 20;
export const READ_LIMIT_BYTES = READ_LIMIT_MB * MB;

/** DuckDB-WASM's own memory limit in the page (its default is 3.1 GiB of the tab's 4 GiB): what it holds and queries. */
export const DUCKDB_MEMORY_MB = 1024;

/** A read refused by the limit: what it would unpack, the column holding most of it, and what to do. */
export class ReadLimitError extends Error {
  /** `declared`: the sizes are the footer's, of the whole read; else counted until they passed the limit. */
  constructor(bytesByColumn: ReadonlyMap<string, number>, declared: boolean, limitBytes: number) {
    const limit = `${Math.round(limitBytes / MB)} MB`;
    const total = [...bytesByColumn.values()].reduce((sum, bytes) => sum + bytes, 0);
    const largest = [...bytesByColumn].reduce((most, entry) => (entry[1] > most[1] ? entry : most))[0];
    super(
      `${declared ? `they would unpack to ${Math.ceil(total / MB)} MB, over the ${limit}` : `they unpack to more than the ${limit}`} one read may hold, ` +
        `most of it in column ${largest} (docs/security.md): a small file that unpacks this far is a decompression bomb; ` +
        "if the run is genuine, compare it with `evalbench compare`",
    );
    this.name = "ReadLimitError";
  }
}

/** The footer's metadata of the chunks of `columns` in row groups first..last. */
export function columnChunks(metadata: FileMetaData, columns: readonly string[], firstGroup: number, lastGroup: number): ColumnMetaData[] {
  const wanted = new Set(columns);
  return metadata.row_groups.slice(firstGroup, lastGroup + 1).flatMap((group) => group.columns.flatMap((chunk) => (chunk.meta_data && wanted.has(chunk.meta_data.path_in_schema[0]) ? [chunk.meta_data] : [])));
}

/**
 * Refuses a read before fetching it when the footer declares more than the limit: the column
 * chunks' unpacked sizes in row groups first..last, plus 8 bytes for each cell of a column: the
 * `rows` read, or the values its chunks declare when more (hyparquet decodes whole pages, and
 * sizes their arrays by the values declared, which pageCountCheckedBuffer holds to the chunks').
 * Returns the chunks' unpacked sizes alone, which bound the pages' (pageLimitedCompressors).
 */
export function checkDeclaredSize(metadata: FileMetaData, columns: readonly string[], firstGroup: number, lastGroup: number, rows: number, limitBytes: number): number {
  const chunks = columnChunks(metadata, columns, firstGroup, lastGroup);
  const bytes = new Map<string, number>();
  for (const column of columns) {
    const own = chunks.filter((chunk) => chunk.path_in_schema[0] === column);
    const values = own.reduce((sum, chunk) => sum + Number(chunk.num_values), 0);
    bytes.set(column, Math.max(rows, values) * 8 + own.reduce((sum, chunk) => sum + Number(chunk.total_uncompressed_size), 0));
  }
  if ([...bytes.values()].reduce((sum, b) => sum + b, 0) > limitBytes) throw new ReadLimitError(bytes, true, limitBytes);
  return chunks.reduce((sum, chunk) => sum + Number(chunk.total_uncompressed_size), 0);
}

const inUnits = (bytes: number) => (bytes >= MB ? `${Math.ceil(bytes / MB)} MB` : `${Math.ceil(bytes / 1024)} KB`);

/** A page whose header declares more unpacked bytes than the footer left for it. */
export class PageSizeError extends Error {
  constructor(pageBytes: number, chunkBytes: number) {
    super(
      `a page header declares ${inUnits(pageBytes)} unpacked, more than the ${inUnits(chunkBytes)} the footer declares for the column chunks read (docs/security.md): ` +
        "the file is damaged or made to exhaust memory; write the run again, or import it again from its source",
    );
    this.name = "PageSizeError";
  }
}

/**
 * hyparquet's decompressors, refusing a page before its buffer is allocated when the pages
 * unpacked so far and this one pass `chunkBytes`, the footer's sizes of the column chunks read:
 * the header's size is as untrusted as the footer, and hyparquet allocates it whole (up to 2 GB).
 * SNAPPY is the only codec hyparquet decodes; UNCOMPRESSED pages are views of the fetched bytes.
 */
export function pageLimitedCompressors(chunkBytes: number): Compressors {
  let unpacked = 0;
  return {
    SNAPPY(input, outputLength) {
      unpacked += outputLength;
      if (unpacked > chunkBytes) throw new PageSizeError(outputLength, chunkBytes);
      const output = new Uint8Array(outputLength);
      snappyUncompress(input, output);
      return output;
    },
  };
}

/** A page whose header declares more values than the footer declares for its whole column chunk. */
export class PageValueCountError extends Error {
  constructor(column: string, pageValues: number, chunkValues: number) {
    super(
      `a page header of column ${column} declares ${pageValues} values, more than the ${chunkValues} the footer declares for its column chunk (docs/security.md): ` +
        "the file is damaged or made to exhaust memory; write the run again, or import it again from its source",
    );
    this.name = "PageValueCountError";
  }
}

/**
 * `file` refusing each of `chunks` as soon as its bytes arrive, before hyparquet decodes them,
 * when one of its pages (data or dictionary) declares more values than the footer declares for
 * the whole chunk: hyparquet sizes a page's arrays by that count (a delta-encoded page declaring
 * 2^31 values asks for an 8 GB typed array, an RLE run of definition levels fills an array of
 * that length from a few bytes), whatever its codec. hyparquet fetches each chunk whole in
 * one slice, alone or merged with others.
 */
export function pageCountCheckedBuffer(file: AsyncBuffer, chunks: readonly ColumnMetaData[]): AsyncBuffer {
  const unchecked = new Set(chunks);
  return {
    byteLength: file.byteLength,
    async slice(start, end = file.byteLength) {
      const bytes = await file.slice(start, end);
      for (const chunk of unchecked) {
        const from = Number(chunk.dictionary_page_offset || chunk.data_page_offset);
        const to = from + Number(chunk.total_compressed_size);
        if (from < start || to > end) continue;
        unchecked.delete(chunk);
        for (const page of pageCounts(new Uint8Array(bytes), from - start, to - start)) {
          if (page.numValues > Number(chunk.num_values)) throw new PageValueCountError(chunk.path_in_schema[0], page.numValues, Number(chunk.num_values));
        }
      }
      return bytes;
    },
  };
}

/**
 * Counts what a read hands on, value by value: a dictionary repeats one long value for every row
 * at the cost of a few bits each, which the footer's sizes do not show, but every copy (Arrow,
 * DuckDB, the page) holds it again.
 */
export class ReadBudget {
  private used = 0;
  private readonly byColumn = new Map<string, number>();

  constructor(private readonly limitBytes: number) {}

  /** False once the values counted so far pass the limit. */
  add(column: string, value: CellValue): boolean {
    const bytes = typeof value === "string" ? value.length : 8;
    this.byColumn.set(column, (this.byColumn.get(column) ?? 0) + bytes);
    this.used += bytes;
    return this.used <= this.limitBytes;
  }

  refuse(): never {
    throw new ReadLimitError(this.byColumn, false, this.limitBytes);
  }
}
