// The record's columns without zod: the browser's workers import these, and zod would double
// the code a worker loads before it can start.
import type { QuestionRecord } from "./record";

/** Parquet column order and types of records.parquet. JSON-valued fields are stored as JSON text. */
export const RECORD_COLUMNS = [
  { name: "run_id", type: "STRING" },
  { name: "task", type: "STRING" },
  { name: "subtask", type: "STRING" },
  { name: "instance_id", type: "STRING" },
  { name: "instance_hash", type: "STRING" },
  { name: "sample", type: "INT32" },
  { name: "cluster_id", type: "STRING" },
  { name: "prompt", type: "STRING" },
  { name: "response", type: "STRING" },
  { name: "extracted", type: "STRING" },
  { name: "target", type: "STRING" },
  { name: "score", type: "DOUBLE" },
  { name: "scores", type: "JSON" },
  { name: "error", type: "STRING" },
  { name: "transcript", type: "JSON" },
  { name: "input_tokens", type: "INT32" },
  { name: "output_tokens", type: "INT32" },
  { name: "latency_ms", type: "DOUBLE" },
  { name: "started_at", type: "STRING" },
] as const satisfies ReadonlyArray<{ name: keyof QuestionRecord; type: string }>;

export type RecordColumn = (typeof RECORD_COLUMNS)[number]["name"];

/** Columns holding long text: the browser loads these only for rows it shows. */
export const TEXT_COLUMNS = ["prompt", "response", "extracted", "target", "transcript", "scores"] as const satisfies readonly RecordColumn[];

/**
 * The columns of a finalized run's compare.parquet: what lines two runs up (keys, question hash,
 * cluster) and the primary score, in records order. A comparison reads about 1 MB per 100,000
 * questions from it, in one request, instead of picking these out of records.parquet.
 */
export const COMPARE_COLUMNS = ["task", "subtask", "instance_id", "sample", "instance_hash", "cluster_id", "score"] as const satisfies readonly RecordColumn[];
