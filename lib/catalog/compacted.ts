import { parquetReadObjects } from "hyparquet";
import { parquetWriteBuffer } from "hyparquet-writer";
import type { IndexedRun } from "./entries";
import { summarize, type RunSummary } from "./summary";
import { parseManifest } from "@/lib/schema";

/** A run's state with its listing facts: null facts for a run that could not be read. */
export type CatalogRow = IndexedRun & { summary: RunSummary | null };

type ColumnType = "STRING" | "INT32" | "DOUBLE";

const ENTRY_COLUMNS: [keyof IndexedRun, ColumnType][] = [
  ["key", "STRING"],
  ["run_id", "STRING"],
  ["manifest_bytes", "INT32"],
  ["manifest_sha256", "STRING"],
  ["manifest", "STRING"],
  ["error", "STRING"],
];

const SUMMARY_COLUMNS: [keyof RunSummary, ColumnType][] = [
  ["status", "STRING"],
  ["model", "STRING"],
  ["checkpoint", "STRING"],
  ["step", "DOUBLE"],
  ["task_name", "STRING"],
  ["task_variant", "STRING"],
  ["created", "STRING"],
  ["n", "DOUBLE"],
  ["planned", "DOUBLE"],
  ["metric", "STRING"],
  ["value", "DOUBLE"],
  ["se", "DOUBLE"],
  ["metric_n", "DOUBLE"],
  ["records_bytes", "DOUBLE"],
  ["writer_pid", "INT32"],
  ["writer_host", "STRING"],
];

/** The listing facts of a state: from its manifest, once, when it is folded or read from an entry. */
export function withSummary(entry: IndexedRun): CatalogRow {
  return { ...entry, summary: entry.manifest === null ? null : summarize(parseManifest(JSON.parse(entry.manifest), `the catalog's copy of ${entry.run_id}/run.json`)) };
}

/** The compacted catalog: one row per run, snappy Parquet, row groups of 10,000. */
export function encodeCompacted(rows: readonly CatalogRow[]): Uint8Array {
  const columnData = [
    ...ENTRY_COLUMNS.map(([name, type]) => ({ name, type, data: rows.map((row) => row[name]) })),
    ...SUMMARY_COLUMNS.map(([name, type]) => ({ name: `s_${name}`, type, data: rows.map((row) => row.summary?.[name] ?? null) })),
  ];
  return new Uint8Array(parquetWriteBuffer({ columnData, rowGroupSize: 10_000 } as Parameters<typeof parquetWriteBuffer>[0]));
}

/**
 * The compacted catalog's rows. Without `manifests`, the manifest column is not decoded (a
 * listing needs only the facts; it is most of the file).
 */
export async function decodeCompacted(bytes: Uint8Array, options: { manifests?: boolean } = {}): Promise<CatalogRow[]> {
  const entryColumns = ENTRY_COLUMNS.map(([name]) => name).filter((name) => options.manifests || name !== "manifest");
  const columns = [...entryColumns, ...SUMMARY_COLUMNS.map(([name]) => `s_${name}`)];
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const objects = (await parquetReadObjects({ file, columns })) as Record<string, unknown>[];
  return objects.map((o) => {
    const summary = o.s_status === null ? null : (Object.fromEntries(SUMMARY_COLUMNS.map(([name]) => [name, o[`s_${name}`]])) as unknown as RunSummary);
    return {
      key: o.key as string,
      run_id: o.run_id as string,
      manifest_bytes: o.manifest_bytes as number | null,
      manifest_sha256: o.manifest_sha256 as string | null,
      manifest: options.manifests ? (o.manifest as string | null) : null,
      error: o.error as string | null,
      summary,
    };
  });
}
