import { createRequire } from "node:module";
import path from "node:path";
import * as duckdb from "@duckdb/duckdb-wasm/blocking";
import { describe, expect, it } from "vitest";
import { duckdbSettings } from "./duckdb";

async function connect() {
  // the wasm build the browser runs, through the package's synchronous Node entry
  const dist = path.dirname(createRequire(import.meta.url).resolve("@duckdb/duckdb-wasm/blocking"));
  const bundles = { mvp: { mainModule: path.join(dist, "duckdb-mvp.wasm"), mainWorker: "" }, eh: { mainModule: path.join(dist, "duckdb-eh.wasm"), mainWorker: "" } };
  const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate();
  db.open({});
  return db.connect();
}

// a 300 MB table: 300,000 rows of 1 KB
const LARGE_TABLE = "CREATE TABLE t AS SELECT repeat('x', 1000) || i::VARCHAR AS s FROM range(300000) r(i)";

describe("duckdbSettings in DuckDB-WASM", () => {
  it("refuses a table over its memory limit, with nowhere to spill, and turns off extension downloads", async () => {
    const conn = await connect();
    conn.query(duckdbSettings(64));
    expect(conn.query("SELECT current_setting('memory_limit') AS m").toArray()[0].m).toBe("64.0 MiB");
    expect(conn.query("SELECT current_setting('autoinstall_known_extensions') AS a").toArray()[0].a).toBe(false);
    expect(() => conn.query(LARGE_TABLE)).toThrow(/Out of Memory Error/);
    conn.close();
  });

  it("builds the same table without the limit (the refusal above is the limit's)", async () => {
    const conn = await connect();
    conn.query(LARGE_TABLE);
    expect(Number(conn.query("SELECT count(*) AS n FROM t").toArray()[0].n)).toBe(300_000);
    conn.close();
  });
});
