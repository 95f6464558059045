import { compareCells } from "./align";
import type { AlignedRow } from "./sql";

export type TwoByTwoCell = "both_right" | "only_a" | "only_b" | "both_wrong";
export type PairingFilter = "all" | "shared" | "mismatch" | "only_a" | "only_b";
export type CompareSort = "difference" | "task" | "instance_id" | "score_a" | "score_b";

/** What the question table shows: a scope, filters, a text search and a sort. */
export interface CompareQuery {
  task: string | null;
  subtask: string | null;
  cell: TwoByTwoCell | null;
  pairing: PairingFilter;
  search: string;
  sort: CompareSort;
  desc: boolean;
}

const CELLS: Record<TwoByTwoCell, [number, number]> = { both_right: [1, 1], only_a: [1, 0], only_b: [0, 1], both_wrong: [0, 0] };

/** Record rows of each run whose text matches the search (its prompt, response, extracted answer or target). */
export interface TextMatches {
  a: Uint8Array;
  b: Uint8Array;
}

const difference = (r: AlignedRow) => (r.score_a === null || r.score_b === null ? null : r.score_a - r.score_b);

const SORT_KEYS: Record<CompareSort, (r: AlignedRow) => string | number | null> = {
  difference,
  task: (r) => r.task,
  instance_id: (r) => r.instance_id,
  score_a: (r) => r.score_a,
  score_b: (r) => r.score_b,
};

/** SQL's order on one value: NaN above every number, as DuckDB sorts doubles; text by UTF-8 bytes. */
function compareValues(x: string | number, y: string | number): number {
  if (typeof x === "number" && typeof y === "number") {
    if (x === y) return 0;
    if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : 1;
    if (Number.isNaN(y)) return -1;
    return x < y ? -1 : 1;
  }
  return compareCells(x, y);
}

/**
 * Positions (into the aligned rows) of the questions the table shows, in display order: the
 * scope, the 2x2 cell (shared questions only), the pairing and the search (instance id, or a
 * record of either run in `matches`), sorted by the chosen key with unknown values last and ties
 * in aligned order. Plain loops over the aligned rows, kept in the compare worker, so a filter or
 * scope change costs milliseconds rather than a DuckDB round trip.
 */
export function questionPositions(
  rows: readonly AlignedRow[],
  rowA: Int32Array,
  rowB: Int32Array,
  query: CompareQuery,
  matches: TextMatches | null,
): Int32Array {
  const needle = query.search.trim().toLowerCase();
  if (needle !== "" && !matches) throw new Error("text search needs both runs' matching records");
  const cell = query.cell === null ? null : CELLS[query.cell];
  const kept: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (query.task !== null && r.task !== query.task) continue;
    if (query.subtask !== null && r.subtask !== query.subtask) continue;
    if (cell && !(r.pairing === "shared" && r.score_a === cell[0] && r.score_b === cell[1])) continue;
    if (query.pairing !== "all" && r.pairing !== query.pairing) continue;
    if (needle !== "" && !(r.instance_id.toLowerCase().includes(needle) || (rowA[i] >= 0 && matches!.a[rowA[i]]) || (rowB[i] >= 0 && matches!.b[rowB[i]]))) continue;
    kept.push(i);
  }
  const key = SORT_KEYS[query.sort];
  const values = kept.map((i) => key(rows[i]));
  const order = Int32Array.from(kept.keys());
  const sign = query.desc ? -1 : 1;
  order.sort((x, y) => {
    const vx = values[x];
    const vy = values[y];
    if (vx === null || vy === null) return vx === vy ? x - y : vx === null ? 1 : -1;
    return sign * compareValues(vx, vy) || x - y;
  });
  return Int32Array.from(order, (k) => kept[k]);
}
