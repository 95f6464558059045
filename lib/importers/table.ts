import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { contentHash, instanceHash } from "@/lib/schema/hash";
import type { BadRows } from "./bad-rows";
import { ImportError, type ImportedRun, type ImportRecord, type TableMapping } from "./types";
import { ownedPrefix } from "@/lib/workspace/leftovers";
import { openZip } from "./zip";

/** Archive entries are extracted to `<tmp>/evalbench-import-<pid>-*` for DuckDB to read. */
export const TABLE_TEMP_PREFIX = "evalbench-import-";

const TABLE_FILE = /\.(json|jsonl|ndjson|csv|tsv|parquet)$/i;

export const isTableFile = (file: string) => TABLE_FILE.test(file) || /\.zip$/i.test(file);

/** `--id '#row'`: the row's 0-based position in the file, for tables without ids. */
export const ROW_POSITION = "#row";

const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** The DuckDB reader for a file, by its extension. */
function readerSql(file: string): string {
  const ext = path.extname(file).toLowerCase();
  if (ext === ".csv" || ext === ".tsv") return `read_csv(${sqlString(file)}, header = true)`;
  if (ext === ".parquet") return `read_parquet(${sqlString(file)})`;
  if (ext === ".jsonl" || ext === ".ndjson") return `read_json(${sqlString(file)}, format = 'newline_delimited')`;
  return `read_json(${sqlString(file)}, format = 'auto')`;
}

/** First line of a DuckDB error, without its class prefix noise. */
const duckMessage = (error: unknown) => String((error as Error).message).split("\n")[0];

async function columnsOf(conn: DuckDBConnection, table: string): Promise<{ name: string; type: string }[]> {
  const reader = await conn.runAndReadAll(`DESCRIBE ${table}`);
  return reader.getRowObjectsJS().map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
}

/** The least EVALBENCH_TABLE_MEMORY_MB takes: DuckDB needs about 48 MB to load even a one-line CSV. */
const MIN_TABLE_MEMORY_MB = 64;

/** Megabytes DuckDB may hold for one table (EVALBENCH_TABLE_MEMORY_MB, default 1024): a small Parquet or gzip file can unpack to gigabytes. */
function tableMemoryMb(env: Record<string, string | undefined> = process.env): number {
  const mb = Number(env.EVALBENCH_TABLE_MEMORY_MB ?? 1024);
  if (!Number.isInteger(mb) || mb < MIN_TABLE_MEMORY_MB) {
    throw new Error(`EVALBENCH_TABLE_MEMORY_MB=${env.EVALBENCH_TABLE_MEMORY_MB} is not a whole number of megabytes, ${MIN_TABLE_MEMORY_MB} or more`);
  }
  return mb;
}

/** DuckDB ran out of the memory it was given: say which table, the limit and how to raise it. */
function memoryLimitError(error: unknown, label: string): ImportError | null {
  if (!/^Out of Memory Error/.test(duckMessage(error))) return null;
  return new ImportError(`${label} needs more than the ${tableMemoryMb()} MB of memory a table may use to load and map (EVALBENCH_TABLE_MEMORY_MB): it unpacks to more than that; raise the limit if the file is genuine`);
}

/**
 * Loads a table file into `src`, in file order. A JSON object holding its rows in one list field
 * (`{"canary": ..., "outputs": [...]}`) is unnested: the field named by `rows`, else its only list.
 */
async function loadTable(conn: DuckDBConnection, file: string, label: string, rowsField: string | undefined): Promise<void> {
  try {
    await conn.run(`CREATE TABLE raw AS SELECT * FROM ${readerSql(file)}`);
  } catch (error) {
    throw memoryLimitError(error, label) ?? new ImportError(`${label} cannot be read as a table: ${duckMessage(error)}; check that it is complete JSON, JSONL, CSV (with a header row) or Parquet`);
  }
  const columns = await columnsOf(conn, "raw");
  const count = Number((await conn.runAndReadAll("SELECT count(*) AS n FROM raw")).getRowObjectsJS()[0].n);
  const lists = columns.filter((c) => /^STRUCT\(.*\)\[\]$/s.test(c.type));
  const field = rowsField ?? (count === 1 && lists.length === 1 && path.extname(file).toLowerCase() === ".json" ? lists[0].name : undefined);
  if (field === undefined) {
    await conn.run("ALTER TABLE raw RENAME TO src");
    return;
  }
  if (!columns.some((c) => c.name === field)) throw new ImportError(`${label} has no field ${field} to take rows from (--rows); its fields: ${columns.map((c) => c.name).join(", ")}`);
  await conn.run(`CREATE TABLE src AS SELECT unnest(r) FROM (SELECT unnest("${field.replaceAll('"', '""')}") AS r FROM raw)`);
}

const MAPPED = ["id", "score", "response", "target", "prompt", "subtask", "cluster"] as const;
type Mapped = (typeof MAPPED)[number];

/** Checks that each expression parses and names existing columns, before any row is read. */
async function checkExpressions(conn: DuckDBConnection, expressions: Partial<Record<Mapped, string>>, label: string): Promise<void> {
  for (const [flag, expression] of Object.entries(expressions)) {
    try {
      await conn.run(`SELECT (${expression}) FROM src LIMIT 0`);
    } catch (error) {
      const columns = (await columnsOf(conn, "src")).map((c) => c.name).join(", ");
      throw new ImportError(`--${flag} ${JSON.stringify(expression)} does not work on ${label}: ${duckMessage(error)}; its columns are: ${columns}`);
    }
  }
}

interface TableSource {
  /** A file DuckDB reads (an archive entry is extracted to a temporary file). */
  file: string;
  /** How errors name it: `file.zip, entry x.json`. */
  label: string;
  stem: string;
}

/** Seconds a table's queries may run (EVALBENCH_MAPPING_TIMEOUT_S, default 60): a mapping can ask DuckDB for anything. */
function mappingTimeoutMs(env: Record<string, string | undefined> = process.env): number {
  const seconds = Number(env.EVALBENCH_MAPPING_TIMEOUT_S ?? 60);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`EVALBENCH_MAPPING_TIMEOUT_S=${env.EVALBENCH_MAPPING_TIMEOUT_S} is not a positive number of seconds`);
  return seconds * 1000;
}

/**
 * Interrupts the connection's query when the time limit passes or the request goes away.
 * `stopped()` says why it was interrupted (null when it was not); `end()` ends the watch.
 */
function watchQueries(conn: DuckDBConnection, label: string, signal: AbortSignal | undefined): { stopped: () => string | null; end: () => void } {
  let reason: string | null = null;
  const stop = (why: string) => {
    reason ??= why;
    conn.interrupt();
  };
  const limit = mappingTimeoutMs();
  const timer = setTimeout(() => stop(`the mapping's queries on ${label} ran past ${limit / 1000} s and were stopped (EVALBENCH_MAPPING_TIMEOUT_S): simplify the --id/--score expressions, or raise the limit`), limit);
  const onAbort = () => stop(`the import of ${label} was stopped: the request that asked for it went away`);
  signal?.addEventListener("abort", onAbort);
  if (signal?.aborted) onAbort();
  return {
    stopped: () => reason,
    end: () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    },
  };
}

async function readTable(source: TableSource, mapping: TableMapping, bad: BadRows, signal: AbortSignal | undefined): Promise<ImportRecord[]> {
  // a memory cap, and no temp folder to spill into: what passes the cap is refused, not written to disk
  const db = await DuckDBInstance.create(":memory:", { memory_limit: `${tableMemoryMb()}MB`, temp_directory: "" });
  const conn = await db.connect();
  const watch = watchQueries(conn, source.label, signal);
  try {
    await loadTable(conn, source.file, source.label, mapping.rows);
    // The expressions are the user's SQL: once the table is in, they get no access to files or network.
    await conn.run("SET enable_external_access = false");
    await conn.run("SET lock_configuration = true");
    const expressions: Partial<Record<Mapped, string>> = {};
    for (const key of MAPPED) {
      const value = mapping[key];
      if (value !== undefined && value !== "") expressions[key] = key === "id" && value === ROW_POSITION ? "rowid" : value;
    }
    await checkExpressions(conn, expressions, source.label);
    const text = (key: Mapped) => (expressions[key] ? `CAST((${expressions[key]}) AS VARCHAR)` : "NULL::VARCHAR");
    const reader = await conn.runAndReadAll(`
      SELECT rowid AS "#row", ${text("id")} AS id, TRY_CAST((${expressions.score}) AS DOUBLE) AS score, ${text("score")} AS score_text,
             ${text("response")} AS response, ${text("target")} AS target, ${text("prompt")} AS prompt, ${text("subtask")} AS subtask, ${text("cluster")} AS cluster
      FROM src ORDER BY rowid`);
    const seen = new Set<string>();
    const records: ImportRecord[] = [];
    for (const row of reader.getRowObjectsJS()) {
      const where = `row ${Number(row["#row"]) + 1}`;
      const id = row.id as string | null;
      if (id === null || id === "") {
        bad.report(source.label, where, `--id ${JSON.stringify(mapping.id)} is empty; give an expression that is set on every row, or --id '#row'`);
        continue;
      }
      if (seen.has(id)) {
        bad.report(source.label, where, `id ${id} is used by an earlier row; --id must name each question once`);
        continue;
      }
      const scoreText = row.score_text as string | null;
      if (row.score === null && scoreText !== null) {
        bad.report(source.label, where, `--score gives ${JSON.stringify(scoreText)}, which is not a number or true/false`);
        continue;
      }
      seen.add(id);
      const prompt = row.prompt as string | null;
      const target = row.target as string | null;
      records.push({
        task: "",
        subtask: row.subtask as string | null,
        instance_id: id,
        // The question as the mapping shows it: its prompt (when mapped) and gold target.
        instance_hash: instanceHash({ prompt }, target),
        cluster_id: row.cluster as string | null,
        prompt,
        response: row.response as string | null,
        target,
        score: row.score as number | null,
        scores: {},
      });
    }
    // an interrupt between queries stops none of them: a request gone by now still ends the import
    const stopped = watch.stopped();
    if (stopped) throw new ImportError(stopped);
    return records;
  } catch (error) {
    // an interrupted query fails with DuckDB's own words; say why it was interrupted instead
    const stopped = watch.stopped();
    throw stopped ? new ImportError(stopped) : (memoryLimitError(error, source.label) ?? error);
  } finally {
    watch.end();
    conn.closeSync();
    db.closeSync();
  }
}

/** The table files to read: files as given, and each table entry of a ZIP archive. */
async function withSources<T>(files: string[], read: (sources: TableSource[]) => Promise<T>): Promise<T> {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), ownedPrefix(TABLE_TEMP_PREFIX)));
  try {
    const sources: TableSource[] = [];
    for (const file of files) {
      const name = path.basename(file);
      if (!/\.zip$/i.test(file)) {
        sources.push({ file, label: name, stem: name.replace(TABLE_FILE, "") });
        continue;
      }
      const zip = await openZip(file);
      try {
        const entries = zip.names.filter((n) => TABLE_FILE.test(n) && !n.startsWith("__MACOSX/"));
        if (entries.length === 0) throw new ImportError(`${name} holds no JSON, JSONL, CSV or Parquet file`);
        for (const [i, entry] of entries.entries()) {
          const extracted = path.join(temp, `${i}${path.extname(entry)}`);
          fs.writeFileSync(extracted, await zip.read(entry));
          sources.push({ file: extracted, label: `${name}, entry ${entry}`, stem: path.basename(entry).replace(TABLE_FILE, "") });
        }
      } finally {
        zip.close();
      }
    }
    return await read(sources);
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

/** One run per table (file or archive entry); the metric is the --score expression's value. */
export async function importTable(files: string[], mapping: TableMapping, bad: BadRows, signal?: AbortSignal): Promise<ImportedRun[]> {
  const metric = mapping.metric ?? "score";
  return withSources(files, async (sources) => {
    const runs: ImportedRun[] = [];
    for (const source of sources) {
      const records = await readTable(source, mapping, bad, signal);
      for (const record of records) {
        record.task = source.stem;
        record.scores = { [metric]: record.score ?? null };
      }
      const origin = files.find((f) => source.label.startsWith(path.basename(f)))!;
      runs.push({
        run: {
          model: { name: "", provider: null },
          task: { name: source.stem, variant: null, hash: contentHash({ tool: "table", mapping }), config: { mapping } },
          harness: { name: "table", config: {} },
          source: { kind: "import", tool: "table (SQL mapping evaluated by DuckDB)", path: source.label },
          primary_metric: metric,
          metrics: { [metric]: { value: null, se: null, ci: null, n: 0, higher_is_better: true } },
          tags: ["import", "table"],
          seed: 0,
          notes: null,
        },
        records,
        reported: {},
        files: [origin],
      });
    }
    return runs;
  });
}
