/** Edit distance (Levenshtein), for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The candidates closest to `name` (prefix matches first), at most three. */
export function closest(name: string, candidates: readonly string[]): string[] {
  const lower = name.toLowerCase();
  return candidates
    .map((candidate) => ({ candidate, d: candidate.startsWith(lower) || lower.startsWith(candidate) ? 0 : distance(lower, candidate.toLowerCase()) }))
    .filter(({ d, candidate }) => d <= Math.max(2, Math.floor(candidate.length / 3)))
    .sort((a, b) => a.d - b.d || (a.candidate < b.candidate ? -1 : 1))
    .slice(0, 3)
    .map(({ candidate }) => candidate);
}

/** " (did you mean a or b?)" or "" */
export function didYouMean(name: string, candidates: readonly string[]): string {
  const near = closest(name, candidates);
  return near.length > 0 ? ` (did you mean ${near.join(" or ")}?)` : "";
}
