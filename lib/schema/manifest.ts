import { z } from "zod";
import { SCHEMA_VERSION } from "./version";

/** URL-safe, stable run id: it appears in paths, URLs and share links. */
export const RunId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,159}$/, "run_id must be 1-160 URL-safe characters (letters, digits, . _ -) starting with a letter or digit");

export const RunStatus = z.enum(["running", "complete", "failed", "cancelled", "interrupted"]);
export type RunStatus = z.infer<typeof RunStatus>;

const IsoTime = z.string().datetime({ offset: true });

/** An endpoint URL is stored without credentials or query string (where keys tend to hide). */
const EndpointUrl = z
  .string()
  .refine((url) => {
    try {
      const parsed = new URL(url);
      return parsed.username === "" && parsed.password === "" && parsed.search === "";
    } catch {
      return false;
    }
  }, "endpoint must be a URL without credentials or query string");

export const ModelInfo = z.object({
  name: z.string().min(1),
  checkpoint: z.string().nullable().default(null),
  step: z.number().int().nonnegative().nullable().default(null),
  provider: z.string().nullable().default(null),
  endpoint: EndpointUrl.nullable().default(null),
});

export const TaskInfo = z.object({
  name: z.string().min(1),
  variant: z.string().nullable().default(null),
  /** Hash of the scoring-relevant task config: two runs of the same hash scored questions alike. */
  hash: z.string().min(1),
  config: z.record(z.string(), z.unknown()).default({}),
});

export const HarnessInfo = z.object({
  name: z.string().min(1),
  config: z.record(z.string(), z.unknown()).default({}),
});

export const MetricValue = z.object({
  value: z.number().nullable(),
  se: z.number().nullable(),
  ci: z.tuple([z.number(), z.number()]).nullable(),
  n: z.number().int().nonnegative(),
  higher_is_better: z.boolean(),
  /**
   * CR1 clustered SE and CI (stats-spec 2.3) when the questions carry cluster ids, with G clusters;
   * null when they carry none, and absent in runs written before it was recorded.
   */
  clustered: z
    .object({ n_clusters: z.number().int().nonnegative(), se: z.number().nullable(), ci: z.tuple([z.number(), z.number()]).nullable() })
    .nullable()
    .optional(),
});
export type MetricValue = z.infer<typeof MetricValue>;

export const Counts = z.object({
  planned: z.number().int().nonnegative(),
  done: z.number().int().nonnegative(),
  errored: z.number().int().nonnegative(),
});

export const Source = z.object({
  kind: z.enum(["run", "import", "demo"]),
  /** For imports: the tool that produced the results (lm-eval-harness, inspect, ...). */
  tool: z.string().nullable().default(null),
  /** For imports: the file or folder the results came from. */
  path: z.string().nullable().default(null),
});

export const RecordsFile = z.object({
  file: z.literal("records.parquet"),
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  /** sha256 of records.parquet: share links pin a run by id and this hash. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** compare.parquet, the columns a comparison reads; null for runs written before it existed. */
  compare: z
    .object({ file: z.literal("compare.parquet"), bytes: z.number().int().nonnegative() })
    .nullable()
    .default(null),
});

export const Writer = z.object({
  pid: z.number().int(),
  host: z.string(),
});

export const RunManifest = z.object({
  schema_version: z.number().int().positive(),
  run_id: RunId,
  status: RunStatus,
  created_at: IsoTime,
  updated_at: IsoTime,
  finished_at: IsoTime.nullable().default(null),
  model: ModelInfo,
  task: TaskInfo,
  suite: z.string().nullable().default(null),
  harness: HarnessInfo,
  experiment: z.string().nullable().default(null),
  tags: z.array(z.string()).default([]),
  seed: z.number().int().nonnegative(),
  counts: Counts,
  metrics: z.record(z.string(), MetricValue).default({}),
  primary_metric: z.string().min(1),
  source: Source,
  /** Set once the records are finalized into Parquet. */
  records: RecordsFile.nullable().default(null),
  /** The process writing this run, so a reader can tell a live run from an interrupted one. */
  writer: Writer.nullable().default(null),
  /** Free text shown with the run, e.g. that it holds simulated demo data. */
  notes: z.string().nullable().default(null),
  /** Why the run failed, for status = failed. */
  error: z.string().nullable().default(null),
});

export type RunManifest = z.infer<typeof RunManifest>;
export type RunManifestInput = z.input<typeof RunManifest>;

export const CURRENT_MANIFEST_VERSION = SCHEMA_VERSION;
