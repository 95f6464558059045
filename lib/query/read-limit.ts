import type { FileMetaData } from "hyparquet";
import type { CellValue } from "./columns";

/**
 * The most one read of a run's Parquet (readColumns) may unpack, in bytes of text plus 8 per cell.
 * A few kilobytes of Parquet can stand for gigabytes (a long value compressed, or repeated through
 * a dictionary); a page would hold them, then copy them into DuckDB-WASM, and the tab would run
 * out of memory. Real runs stay far below: 100,000 questions with 2 KB of text each is 200 MB.
 */
export const READ_LIMIT_MB = 512;

/** DuckDB-WASM's own memory limit in the page (its default is 3.1 GiB of the tab's 4 GiB): what it holds and queries. */
export const DUCKDB_MEMORY_MB = 1024;

const MB = 1 << 20;

/** A read refused by the limit: the file and what it would unpack are named, and what to do. */
export class ReadLimitError extends Error {
  /** `bytes`: what the footer declares; null when counting the values passed the limit. */
  constructor(columns: readonly string[], bytes: number | null, limitBytes: number) {
    const limit = `${Math.round(limitBytes / MB)} MB`;
    super(
      `${columns.join(", ")} unpack to ${bytes === null ? `more than the ${limit}` : `${Math.ceil(bytes / MB)} MB, over the ${limit}`} one read may hold ` +
        "(docs/security.md): a small file that unpacks this far is a decompression bomb; if the run is genuine, compare it with `evalbench compare`",
    );
    this.name = "ReadLimitError";
  }
}

/**
 * Refuses a read before fetching it when the footer declares more than the limit: the column
 * chunks' unpacked sizes in row groups first..last, plus 8 bytes for each of the `rows` × columns cells.
 */
export function checkDeclaredSize(metadata: FileMetaData, columns: readonly string[], firstGroup: number, lastGroup: number, rows: number, limitBytes: number): void {
  const wanted = new Set(columns);
  let bytes = rows * columns.length * 8;
  for (let g = firstGroup; g <= lastGroup; g++) {
    for (const chunk of metadata.row_groups[g].columns) {
      if (chunk.meta_data && wanted.has(chunk.meta_data.path_in_schema[0])) bytes += Number(chunk.meta_data.total_uncompressed_size);
    }
  }
  if (bytes > limitBytes) throw new ReadLimitError(columns, bytes, limitBytes);
}

/**
 * Counts what a read hands on, value by value: a dictionary repeats one long value for every row
 * at the cost of a few bits each, which the footer's sizes do not show, but every copy (Arrow,
 * DuckDB, the page) holds it again.
 */
export class ReadBudget {
  private used = 0;

  constructor(private readonly limitBytes: number) {}

  /** False once the values counted so far pass the limit. */
  add(value: CellValue): boolean {
    this.used += typeof value === "string" ? value.length : 8;
    return this.used <= this.limitBytes;
  }

  refuse(columns: readonly string[]): never {
    throw new ReadLimitError(columns, null, this.limitBytes);
  }
}
