/**
 * Natural order for ids: runs of digits compare as numbers, so q19 sorts before q180. Each text is
 * split once, since splitting inside every comparison cost more than the sort itself.
 */

type NaturalKey = (string | number)[];

const naturalKey = (text: string): NaturalKey => (text.match(/\d+|\D+/g) ?? []).map((part) => (/^\d/.test(part) ? Number(part) : part));

function compareKeys(a: NaturalKey, b: NaturalKey): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    if (typeof a[i] === "number" && typeof b[i] === "number") return (a[i] as number) - (b[i] as number);
    return String(a[i]) < String(b[i]) ? -1 : 1;
  }
  return a.length - b.length;
}

/** Plain code-unit order breaks ties between texts with the same key ("q01" and "q1"). */
const plain = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Texts in natural order. */
export function naturalSort(texts: readonly string[]): string[] {
  return texts
    .map((text) => ({ text, key: naturalKey(text) }))
    .sort((x, y) => compareKeys(x.key, y.key) || plain(x.text, y.text))
    .map((x) => x.text);
}

/** Each value's place in natural order (equal values share one); -1 for null. */
export function naturalRanks(values: readonly (string | number | null)[]): Int32Array {
  const keyed = [...new Set(values.filter((v) => v !== null).map(String))].map((text) => ({ text, key: naturalKey(text) }));
  keyed.sort((x, y) => compareKeys(x.key, y.key) || plain(x.text, y.text));
  const rankOf = new Map(keyed.map((x, i) => [x.text, i]));
  return Int32Array.from(values, (v) => (v === null ? -1 : rankOf.get(String(v))!));
}

/** Row numbers ordered by their rank (from naturalRanks), nulls last either way, ties in row order. */
export function orderByRank(rows: Int32Array, ranks: Int32Array, desc: boolean): Int32Array {
  const sign = desc ? -1 : 1;
  return rows.slice().sort((a, b) => {
    const ra = ranks[a];
    const rb = ranks[b];
    if (ra !== rb) return ra < 0 ? 1 : rb < 0 ? -1 : sign * (ra - rb);
    return a - b;
  });
}
