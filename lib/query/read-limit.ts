import { snappyUncompress, type Compressors, type FileMetaData } from "hyparquet";
import type { CellValue } from "./columns";

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

/**
 * Refuses a read before fetching it when the footer declares more than the limit: the column
 * chunks' unpacked sizes in row groups first..last, plus 8 bytes for each of the `rows` cells of a column.
 * Returns the chunks' unpacked sizes alone, which bound the pages' (pageLimitedCompressors).
 */
export function checkDeclaredSize(metadata: FileMetaData, columns: readonly string[], firstGroup: number, lastGroup: number, rows: number, limitBytes: number): number {
  const bytes = new Map(columns.map((column) => [column, rows * 8]));
  let chunkBytes = 0;
  for (let g = firstGroup; g <= lastGroup; g++) {
    for (const chunk of metadata.row_groups[g].columns) {
      const column = chunk.meta_data?.path_in_schema[0];
      if (column === undefined || !bytes.has(column)) continue;
      const size = Number(chunk.meta_data!.total_uncompressed_size);
      bytes.set(column, bytes.get(column)! + size);
      chunkBytes += size;
    }
  }
  if ([...bytes.values()].reduce((sum, b) => sum + b, 0) > limitBytes) throw new ReadLimitError(bytes, true, limitBytes);
  return chunkBytes;
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
