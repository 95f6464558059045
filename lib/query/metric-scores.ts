import type { CellValue } from "./columns";

const NUMERIC_TEXT = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/**
 * One metric's per-record value from the `scores` JSON column, with the CLI's rule
 * (`TRY_CAST(json_extract_string(scores, '$."metric"') AS DOUBLE)`): a number, or text that reads
 * as one; anything else (missing, boolean, object, unreadable JSON) is unscored.
 */
export function metricScores(scores: readonly CellValue[], metric: string): (number | null)[] {
  return scores.map((json) => {
    if (typeof json !== "string") return null;
    let value: unknown;
    try {
      value = (JSON.parse(json) as Record<string, unknown> | null)?.[metric];
    } catch {
      return null;
    }
    if (typeof value === "number") return value;
    if (typeof value === "string" && NUMERIC_TEXT.test(value)) return Number(value);
    return null;
  });
}
