import type { AsyncDuckDB } from "@duckdb/duckdb-wasm";
import type { Table } from "apache-arrow";
import type { Sql } from "./sql";

/** Runs one statement with its parameters bound (never spliced into the SQL text). */
export async function runSql(db: AsyncDuckDB, { sql, params }: Sql): Promise<Table> {
  const conn = await db.connect();
  try {
    if (params.length === 0) return await conn.query(sql);
    const statement = await conn.prepare(sql);
    try {
      return await statement.query(...params);
    } finally {
      await statement.close();
    }
  } finally {
    await conn.close();
  }
}
