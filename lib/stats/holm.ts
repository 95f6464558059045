/**
 * Holm step-down adjustment across subtasks: with p-values sorted ascending p_(1) <= ... <= p_(m),
 * `adj_(i) = max_{j <= i} min(1, (m - j + 1) p_(j))`. Controls the family-wise error rate.
 * `null` entries (undefined p-values) stay null and do not count towards m.
 */
export function holm(pValues: readonly (number | null)[]): (number | null)[] {
  const idx: number[] = [];
  pValues.forEach((p, i) => {
    if (p !== null) {
      if (!(p >= 0 && p <= 1)) throw new RangeError(`p-value at position ${i} is not in [0, 1]: ${p}`);
      idx.push(i);
    }
  });
  idx.sort((x, y) => (pValues[x] as number) - (pValues[y] as number) || x - y);
  const m = idx.length;
  const out: (number | null)[] = pValues.map(() => null);
  let running = 0;
  idx.forEach((i, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * (pValues[i] as number)));
    out[i] = running;
  });
  return out;
}

/** Holm adjustment of per-subtask p-values keyed by subtask name. */
export function holmByKey<K extends string>(pValues: Readonly<Record<K, number | null>>): Record<K, number | null> {
  const keys = Object.keys(pValues) as K[];
  const adj = holm(keys.map((k) => pValues[k]));
  const out = {} as Record<K, number | null>;
  keys.forEach((k, i) => (out[k] = adj[i]));
  return out;
}
