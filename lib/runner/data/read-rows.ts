import fs from "node:fs";
import path from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { parquetReadObjects } from "hyparquet";
import { unpack } from "@/lib/unpack/unpack";

export type Row = Record<string, unknown>;

/** A row that could not be read or used; `row` is 1-based (a line of JSONL, a record of CSV). */
export interface MalformedRow {
  file: string;
  row: number;
  reason: string;
}

export interface Rows {
  /** `row` numbers the file's lines/records for messages; `index` is the 0-based data position. */
  rows: { row: number; index: number; value: Row }[];
  malformed: MalformedRow[];
}

/** A data file that is missing or is not the format it claims: the run cannot start. */
export class DataFileError extends Error {}

export const DATA_EXTENSIONS = [".jsonl", ".jsonl.gz", ".ndjson", ".json", ".csv", ".parquet"] as const;

export function dataFormat(file: string): (typeof DATA_EXTENSIONS)[number] {
  const lower = file.toLowerCase();
  const ext = DATA_EXTENSIONS.find((e) => lower.endsWith(e));
  if (!ext) throw new DataFileError(`${file}: unknown data format; use one of ${DATA_EXTENSIONS.join(", ")}`);
  return ext;
}

function readJsonl(file: string, text: string): Rows {
  const out: Rows = { rows: [], malformed: [] };
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    try {
      const value: unknown = JSON.parse(line);
      if (value === null || typeof value !== "object" || Array.isArray(value)) out.malformed.push({ file, row: i + 1, reason: "not a JSON object" });
      else out.rows.push({ row: i + 1, index: i, value: value as Row });
    } catch (error) {
      out.malformed.push({ file, row: i + 1, reason: `not valid JSON (${(error as Error).message})` });
    }
  });
  if (out.rows.length === 0 && out.malformed.length > 0) {
    throw new DataFileError(`${file} is not JSONL: none of its ${out.malformed.length} lines is a JSON object (line 1: ${out.malformed[0].reason})`);
  }
  return out;
}

/** A JSON array of rows, or an object holding one (BIG-Bench Hard's `{"examples": [...]}`). */
function readJson(file: string, text: string): Rows {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DataFileError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const list = Array.isArray(value) ? value : Object.values(value as Record<string, unknown>).find(Array.isArray);
  if (!Array.isArray(list)) throw new DataFileError(`${file} holds neither a JSON array of rows nor an object with one`);
  const out: Rows = { rows: [], malformed: [] };
  list.forEach((item, i) => {
    if (item !== null && typeof item === "object" && !Array.isArray(item)) out.rows.push({ row: i + 1, index: i, value: item as Row });
    else out.malformed.push({ file, row: i + 1, reason: "not a JSON object" });
  });
  return out;
}

function readCsv(file: string, text: string, headerless?: string[]): Rows {
  let records: string[][];
  try {
    records = parseCsv(text, { relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][];
  } catch (error) {
    throw new DataFileError(`${file} is not valid CSV: ${(error as Error).message}`);
  }
  if (records.length === 0) return { rows: [], malformed: [] };
  // A file whose first record is not a header (the original MMLU files) gets the task's columns.
  const hasHeader = !headerless || records[0].includes(headerless[0]);
  const header = hasHeader ? records[0] : headerless;
  const out: Rows = { rows: [], malformed: [] };
  records.slice(hasHeader ? 1 : 0).forEach((cells, i) => {
    const row = i + (hasHeader ? 2 : 1);
    if (cells.length !== header.length) out.malformed.push({ file, row, reason: `has ${cells.length} fields, the header has ${header.length}` });
    else out.rows.push({ row, index: i, value: Object.fromEntries(header.map((h, j) => [h, cells[j]])) });
  });
  return out;
}

async function readParquet(file: string, bytes: Buffer): Promise<Rows> {
  if (bytes.length < 8 || bytes.subarray(0, 4).toString() !== "PAR1" || bytes.subarray(-4).toString() !== "PAR1") {
    throw new DataFileError(`${file} is not a Parquet file (no PAR1 magic at its start and end)`);
  }
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const objects = await parquetReadObjects({ file: buffer });
  return { rows: objects.map((value, i) => ({ row: i + 1, index: i, value: value as Row })), malformed: [] };
}

/** Reads a data file by its extension; a row it cannot read is reported, not fatal. */
export async function readRows(file: string, options: { headerlessCsvColumns?: string[] } = {}): Promise<Rows> {
  const format = dataFormat(file);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new DataFileError(`data file ${file} does not exist; check --data (the folder holds: ${listing(path.dirname(file))})`);
    throw new DataFileError(`cannot read data file ${file}: ${code ?? (error as Error).message}`);
  }
  switch (format) {
    case ".parquet":
      return readParquet(file, bytes);
    case ".jsonl.gz":
      return readJsonl(file, unpack("gzip", bytes, path.basename(file)).toString("utf8"));
    case ".jsonl":
    case ".ndjson":
      return readJsonl(file, bytes.toString("utf8"));
    case ".json":
      return readJson(file, bytes.toString("utf8"));
    case ".csv":
      return readCsv(file, bytes.toString("utf8"), options.headerlessCsvColumns);
  }
}

function listing(dir: string): string {
  try {
    const names = fs.readdirSync(dir);
    return names.length === 0 ? "nothing" : names.slice(0, 8).join(", ") + (names.length > 8 ? ", ..." : "");
  } catch {
    return "nothing: it does not exist";
  }
}
