import { COMPARE_COLUMNS } from "@/lib/schema/columns";

/**
 * The SQL that lines two runs up: the definition of the join. `evalbench compare` and the compare
 * page's worker both run it in TypeScript (alignColumns, tested against this SQL in DuckDB), so
 * they pair exactly the same questions.
 *
 * Both read each run's columns ALIGN_INPUT_COLUMNS, those of compare.parquet (in DuckDB, tables `run_a` and `run_b`),
 * `score` holding the compared metric.
 */
export const ALIGN_INPUT_COLUMNS = COMPARE_COLUMNS;

/** Whether a key (task, instance_id, sample) is in both runs as the same question, or not. */
export type Pairing = "shared" | "mismatch" | "only_a" | "only_b";

export interface AlignedRow {
  task: string;
  subtask: string | null;
  instance_id: string;
  sample: number;
  cluster_a: string | null;
  cluster_b: string | null;
  score_a: number | null;
  score_b: number | null;
  pairing: Pairing;
}

/**
 * Full outer join on (task, instance_id, sample). A key present in both runs whose instance_hash
 * differs is a `mismatch` (the question or its gold answer changed under the same id): it is never
 * paired. Rows come in a fixed order so both engines return the same sequence. `carry` names
 * extra input columns passed through as `<name>_a`, `<name>_b` (the test of alignColumns carries
 * each record's `row`); they never change which rows pair or how.
 */
export function alignSql(a = "run_a", b = "run_b", carry: readonly string[] = []): string {
  const carried = carry.map((c) => `\n  a.${c} AS ${c}_a,\n  b.${c} AS ${c}_b,`).join("");
  return `
SELECT${carried}
  coalesce(a.task, b.task) AS task,
  coalesce(a.subtask, b.subtask) AS subtask,
  coalesce(a.instance_id, b.instance_id) AS instance_id,
  coalesce(a.sample, b.sample) AS sample,
  a.cluster_id AS cluster_a,
  b.cluster_id AS cluster_b,
  a.score AS score_a,
  b.score AS score_b,
  CASE
    WHEN a.instance_id IS NULL THEN 'only_b'
    WHEN b.instance_id IS NULL THEN 'only_a'
    WHEN a.instance_hash IS DISTINCT FROM b.instance_hash THEN 'mismatch'
    ELSE 'shared'
  END AS pairing
FROM ${a} a
FULL OUTER JOIN ${b} b
  ON a.task = b.task AND a.instance_id = b.instance_id AND a.sample = b.sample
ORDER BY task, instance_id, sample`;
}
