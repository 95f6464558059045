/** A score to 3 decimals (whole numbers as they are), or an em dash: the same digits as the CLI. */
export { scoreText as formatScore } from "@/lib/format/score";

export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : value.toLocaleString("en-US");
}

export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** ISO time as "2026-01-01 12:00" in UTC: stable across viewers and server/client renders. */
export function formatTime(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 16).replace("T", " ") : "—";
}

/** A CSS class that colours a score: full marks, zero, partial. */
export function scoreClass(score: number | null): string {
  if (score === null) return "faint";
  if (score >= 1) return "score-1";
  if (score <= 0) return "score-0";
  return "score-partial";
}

