import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import type { RunManifest } from "@/lib/schema";
import { readRun } from "@/lib/workspace/catalog";
import { listRuns } from "@/lib/workspace/catalog";
import { runRecords } from "@/lib/workspace/records-source";
import { alignSql, type AlignedRow } from "./sql";

/** Closest run ids to a name that was not found, for the error message. */
function suggestions(workspace: string, runId: string): string {
  const ids = listRuns(workspace).map((e) => e.run_id);
  const close = ids.filter((id) => id.includes(runId) || runId.includes(id)).slice(0, 5);
  return close.length > 0 ? `; did you mean ${close.join(", ")}?` : ids.length > 0 ? "; `evalbench ls` lists the runs" : "; the workspace has no runs";
}

/** The manifest of a run that must exist and be readable, or an error that says what to do. */
export function requireRun(workspace: string, runId: string): RunManifest {
  const entry = readRun(workspace, runId, { verify: true });
  if (entry.ok) return entry.manifest;
  if (!fs.existsSync(path.join(workspace, "runs", runId))) {
    throw new Error(`no run ${runId} in ${workspace}${suggestions(workspace, runId)}`);
  }
  throw new Error(`run ${runId} cannot be read: ${entry.error}`);
}

/** The records file of a run as a path DuckDB can read; an open run's journal is snapshotted. */
function parquetPath(workspace: string, runId: string): string {
  const body = runRecords(workspace, runId);
  if ("file" in body) return body.file;
  const snapshot = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "evalbench-snapshot-")), `${runId}.parquet`);
  fs.writeFileSync(snapshot, body.bytes);
  return snapshot;
}

const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** The metric's per-record score: the `score` column for the primary metric, else from `scores`. */
function scoreColumn(manifest: RunManifest, metric: string): string {
  if (metric === manifest.primary_metric) return "score";
  if (!(metric in manifest.metrics)) {
    throw new Error(`run ${manifest.run_id} has no metric ${metric}; it has ${[manifest.primary_metric, ...Object.keys(manifest.metrics).filter((m) => m !== manifest.primary_metric)].join(", ")}`);
  }
  return `TRY_CAST(json_extract_string(scores, ${sqlString(`$."${metric}"`)}) AS DOUBLE)`;
}

async function loadRun(conn: DuckDBConnection, table: string, workspace: string, manifest: RunManifest, metric: string) {
  await conn.run(
    `CREATE TABLE ${table} AS SELECT task, subtask, instance_id, sample, instance_hash, cluster_id, ${scoreColumn(manifest, metric)} AS score
     FROM read_parquet(${sqlString(parquetPath(workspace, manifest.run_id))})`,
  );
}

/** Lines two runs up with the same SQL the browser runs, in DuckDB. */
export async function alignRunsOnDisk(workspace: string, a: RunManifest, b: RunManifest, metric: string): Promise<AlignedRow[]> {
  const db = await DuckDBInstance.create(":memory:");
  const conn = await db.connect();
  try {
    await loadRun(conn, "run_a", workspace, a, metric);
    await loadRun(conn, "run_b", workspace, b, metric);
    const result = await conn.runAndReadAll(alignSql());
    return result.getRowObjectsJS().map((row) => ({ ...row, sample: Number(row.sample) }) as unknown as AlignedRow);
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}
