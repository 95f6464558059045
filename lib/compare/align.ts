import { PAIRINGS, type AlignedColumns, type RunColumns } from "./columns";
import { acrossTasks, renamedTask } from "./pairing";
import type { Pairing } from "./sql";

type Cell = string | number | null | undefined;

/** UTF-16 unit rearranged so that comparing units orders strings by code point, as UTF-8 bytes do. */
const codePointUnit = (unit: number) => (unit >= 0xd800 && unit <= 0xdfff ? unit + 0x2000 : unit >= 0xe000 ? unit - 0x800 : unit);

/**
 * DuckDB's ORDER BY on one key column: text by UTF-8 bytes (JS `<` compares UTF-16 units, which
 * differs past U+FFFF), numbers numerically, NULLS LAST.
 */
export function compareCells(x: Cell, y: Cell): number {
  if (x === y) return 0;
  if (x === null || x === undefined) return 1;
  if (y === null || y === undefined) return -1;
  if (typeof x === "number" && typeof y === "number") return x - y;
  const s = String(x);
  const t = String(y);
  const n = Math.min(s.length, t.length);
  for (let i = 0; i < n; i++) {
    const u = s.charCodeAt(i);
    const v = t.charCodeAt(i);
    if (u !== v) return codePointUnit(u) - codePointUnit(v);
  }
  return s.length - t.length;
}

/** Order of two records by alignSql's key (task, instance_id, sample). */
function compareKeys(x: RunColumns, i: number, y: RunColumns, j: number): number {
  return compareCells(x.task[i], y.task[j]) || compareCells(x.instance_id[i], y.instance_id[j]) || compareCells(x.sample[i], y.sample[j]);
}

/** A run's record rows in key order; ties keep file order. Skips the sort when the file is already in order, as runs usually are. */
function keyOrder(run: RunColumns): Int32Array {
  const n = run.task.length;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = compareKeys(run, i - 1, run, i) <= 0;
  if (!sorted) order.sort((i, j) => compareKeys(run, i, run, j) || i - j);
  return order;
}

const code = (pairing: Pairing) => PAIRINGS.indexOf(pairing);
const SHARED = code("shared");
const MISMATCH = code("mismatch");
const ONLY_A = code("only_a");
const ONLY_B = code("only_b");

/**
 * alignSql() in TypeScript, for the compare page's statistics worker and `evalbench compare`,
 * which need not wait for DuckDB to start: the full outer join of two runs on (task, instance_id,
 * sample), a key in both runs with differing instance_hash being a mismatch, rows in key order.
 * A merge join of the two runs sorted by key. alignSql does not order rows with one key repeated
 * within a run (a malformed run); here they come in file order, A's then B's. Keys are never null
 * (the record schema requires them). Two runs of one task each under different names, with ids
 * in common, pair across the names (pairing.ts).
 */
export function alignColumns(a: RunColumns, baseline: RunColumns): AlignedColumns {
  const across = acrossTasks(a, baseline);
  const b = across ? renamedTask(baseline, across.candidate_task) : baseline;
  const orderA = keyOrder(a);
  const orderB = keyOrder(b);
  const rowA: number[] = [];
  const rowB: number[] = [];
  const pairing: number[] = [];
  const emit = (ra: number, rb: number, p: number) => {
    rowA.push(ra);
    rowB.push(rb);
    pairing.push(p);
  };
  let i = 0;
  let j = 0;
  while (i < orderA.length || j < orderB.length) {
    const c = i === orderA.length ? 1 : j === orderB.length ? -1 : compareKeys(a, orderA[i], b, orderB[j]);
    if (c < 0) emit(orderA[i++], -1, ONLY_A);
    else if (c > 0) emit(-1, orderB[j++], ONLY_B);
    else {
      // every record of this key in A against every one in B, as the join does
      let iEnd = i + 1;
      while (iEnd < orderA.length && compareKeys(a, orderA[i], a, orderA[iEnd]) === 0) iEnd++;
      let jEnd = j + 1;
      while (jEnd < orderB.length && compareKeys(b, orderB[j], b, orderB[jEnd]) === 0) jEnd++;
      for (let x = i; x < iEnd; x++) {
        for (let y = j; y < jEnd; y++) {
          const ra = orderA[x];
          const rb = orderB[y];
          emit(ra, rb, (a.instance_hash[ra] ?? null) === (b.instance_hash[rb] ?? null) ? SHARED : MISMATCH);
        }
      }
      i = iEnd;
      j = jEnd;
    }
  }
  return { a, b, rowA: Int32Array.from(rowA), rowB: Int32Array.from(rowB), pairing: Uint8Array.from(pairing), acrossTasks: across };
}
