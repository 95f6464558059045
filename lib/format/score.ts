import type { RunManifest } from "@/lib/schema";

// One way to write a run's score with its uncertainty, for the runs page and every CLI verb, so
// that the two show the same digits and say what the ± is.

/** "0.596" */
export const scoreText = (value: number | null | undefined) => (value === null || value === undefined ? "—" : Number.isInteger(value) ? String(value) : value.toFixed(3));

/**
 * "0.596 ± 0.016 (1 SE)": a score on its own scale with one standard error. When the score was
 * computed on fewer questions than the `recorded` shown beside it (unscored ones left out), its
 * own n follows: "(1 SE, n = 950)".
 */
export function scoreWithSe(value: number | null, se: number | null, n: number | null = null, recorded: number | null = null): string {
  if (value === null) return "—";
  if (se === null) return scoreText(value);
  const own = n !== null && n !== recorded ? `, n = ${n.toLocaleString("en-US")}` : "";
  return `${scoreText(value)} ± ${scoreText(se)} (1 SE${own})`;
}

/** A run's primary score as the runs page, the run page and the CLI write it, against the questions it recorded. */
export function primaryScoreText(manifest: RunManifest): string {
  const primary = manifest.metrics[manifest.primary_metric];
  return scoreWithSe(primary?.value ?? null, primary?.se ?? null, primary?.n ?? null, manifest.records?.rows ?? manifest.counts.done);
}
