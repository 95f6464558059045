import type { AsyncDuckDB } from "@duckdb/duckdb-wasm";
import type { RecordColumn } from "@/lib/schema";
import { readColumns, type ColumnBatch } from "./columns";
import type { RecordsFile } from "./records-file";
import { quoteIdent } from "./sql";

/** A run's columns loaded into DuckDB, with the same data kept in JS for rendering. */
export interface RunTable {
  runId: string;
  /** Quoted, ready to use in SQL. */
  table: string;
  batch: ColumnBatch;
}

const loaded = new Map<string, Promise<RunTable>>();

/**
 * The DuckDB table name for one run's column set. Run ids may hold . and -, so every character
 * but a letter or digit is hex-escaped: distinct runs always get distinct, plain identifiers.
 */
export function runTableName(runId: string, part: string): string {
  const escaped = runId.replace(/[^A-Za-z0-9]/g, (c) => `_${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  return quoteIdent(`run_${escaped}__${part}`);
}

/** Inserts an already read column batch as a DuckDB table (via Arrow; DuckDB-WASM 1.32 cannot read Parquet offline). */
export async function insertColumnBatch(db: AsyncDuckDB, table: string, batch: ColumnBatch): Promise<void> {
  const conn = await db.connect();
  try {
    await conn.query(`DROP TABLE IF EXISTS ${table}`);
    // Arrow is needed only once DuckDB is: loading it lazily keeps it out of the first paint
    const { batchToArrow } = await import("./arrow");
    await conn.insertArrowTable(batchToArrow(batch), { name: unquoteIdent(table), create: true });
  } finally {
    await conn.close();
  }
}

/**
 * Loads `columns` of every row of a run into DuckDB as table `runTableName(runId, part)`, once per
 * page: the building block of the run page and of joins across runs (the compare page joins two
 * such tables on (task, instance_id, sample) and checks instance_hash). Pass `batch` when the
 * columns were already read, to skip the second read.
 */
export function loadRunTable(
  db: AsyncDuckDB,
  records: RecordsFile,
  columns: readonly RecordColumn[],
  part: string,
  batch?: ColumnBatch,
): Promise<RunTable> {
  const table = runTableName(records.runId, part);
  const key = `${table}\u0000${records.rows}`;
  let result = loaded.get(key);
  if (!result) {
    result = (async () => {
      const data = batch ?? (await readColumns(records, columns));
      await insertColumnBatch(db, table, data);
      return { runId: records.runId, table, batch: data };
    })();
    result.catch(() => loaded.delete(key));
    loaded.set(key, result);
  }
  return result;
}

function unquoteIdent(quoted: string): string {
  return quoted.slice(1, -1).replaceAll('""', '"');
}
