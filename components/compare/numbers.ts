/** Number formats of the compare page: differences in points when scores are on a 0-1 scale. */

export function formatDiff(x: number | null | undefined, scale: number, signed = false): string {
  if (x === null || x === undefined) return "—";
  const text = (scale * x).toFixed(scale === 100 ? 2 : 4);
  return signed && x > 0 ? `+${text}` : text;
}

export function formatInterval(ci: readonly [number, number] | null | undefined, scale: number): string {
  return ci ? `[${formatDiff(ci[0], scale)}, ${formatDiff(ci[1], scale)}]` : "—";
}

export function formatP(p: number | null | undefined): string {
  if (p === null || p === undefined) return "—";
  return p < 0.0001 ? "<0.0001" : p.toFixed(4);
}

export function formatMean(x: number | null | undefined, scale: number): string {
  return x === null || x === undefined ? "—" : (scale * x).toFixed(scale === 100 ? 2 : 4);
}

export const unitLabel = (scale: number) => (scale === 100 ? "points" : "score units");
