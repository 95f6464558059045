import { parquetMetadataAsync, parquetRead, type AsyncBuffer } from "hyparquet";
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

/**
 * The compacted catalog: one row per run, row groups of 10,000, snappy but for the manifest column:
 * `ls --json` prints it whole, and decoding 100 MB of snappy in JavaScript took a second.
 */
export function encodeCompacted(rows: readonly CatalogRow[]): Uint8Array {
  const columnData = [
    ...ENTRY_COLUMNS.map(([name, type]) => ({ name, type, data: rows.map((row) => row[name]), ...(name === "manifest" && { codec: "UNCOMPRESSED" }) })),
    ...SUMMARY_COLUMNS.map(([name, type]) => ({ name: `s_${name}`, type, data: rows.map((row) => row.summary?.[name] ?? null) })),
  ];
  return new Uint8Array(parquetWriteBuffer({ columnData, rowGroupSize: 10_000 } as Parameters<typeof parquetWriteBuffer>[0]));
}

/**
 * The compacted catalog's rows, from its bytes or an opened file (then only the columns read are
 * read, each column chunk into a buffer of its own: a whole file in memory cost hyparquet a copy
 * of each chunk). Without `manifests`, the manifest column is not decoded (a listing needs only
 * the facts; it is most of the file). Read column by column: an object per row and column, as
 * rows, is what 100,000 runs spent their time collecting.
 */
export async function decodeCompacted(bytes: Uint8Array | AsyncBuffer, options: { manifests?: boolean } = {}): Promise<CatalogRow[]> {
  const entryColumns = ENTRY_COLUMNS.map(([name]) => name).filter((name) => options.manifests || name !== "manifest");
  const columns = [...entryColumns, ...SUMMARY_COLUMNS.map(([name]) => `s_${name}`)];
  const file = bytes instanceof Uint8Array ? (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer) : bytes;
  const metadata = await parquetMetadataAsync(file);
  // sized up front: chunks arrive in any order, and writing past an array's end makes it slow
  const read = new Map<string, unknown[]>(columns.map((name) => [name, new Array(Number(metadata.num_rows))]));
  await parquetRead({
    file,
    metadata,
    columns,
    onChunk: ({ columnName, columnData, rowStart }) => {
      const into = read.get(columnName)!;
      for (let i = 0; i < columnData.length; i++) into[rowStart + i] = columnData[i];
    },
  });
  const column = (name: string) => read.get(name)!;
  const [key, runId, manifestBytes, sha256, error] = (["key", "run_id", "manifest_bytes", "manifest_sha256", "error"] as const).map(column);
  const manifest = options.manifests ? column("manifest") : null;
  const c = Object.fromEntries(SUMMARY_COLUMNS.map(([name]) => [name, column(`s_${name}`)])) as { [K in keyof RunSummary]: RunSummary[K][] };
  return key.map((_, row) => {
    // one object literal: the same shape for every row (assigning the fields in a loop made 100,000 slow objects)
    const summary: RunSummary | null =
      c.status[row] === null
        ? null
        : {
            status: c.status[row],
            model: c.model[row],
            checkpoint: c.checkpoint[row],
            step: c.step[row],
            task_name: c.task_name[row],
            task_variant: c.task_variant[row],
            created: c.created[row],
            n: c.n[row],
            planned: c.planned[row],
            metric: c.metric[row],
            value: c.value[row],
            se: c.se[row],
            metric_n: c.metric_n[row],
            records_bytes: c.records_bytes[row],
            writer_pid: c.writer_pid[row],
            writer_host: c.writer_host[row],
          };
    return {
      key: key[row] as string,
      run_id: runId[row] as string,
      manifest_bytes: manifestBytes[row] as number | null,
      manifest_sha256: sha256[row] as string | null,
      manifest: manifest ? (manifest[row] as string | null) : null,
      error: error[row] as string | null,
      summary,
    };
  });
}
