import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it, vi } from "vitest";
import { alignColumns, compareCells } from "./align";
import { alignedRow, PAIRINGS, type AlignedColumns, type RunColumns } from "./columns";
import { compareReport } from "./report";
import { alignSql, type Pairing } from "./sql";

interface Rec {
  task: string;
  subtask: string | null;
  instance_id: string;
  sample: number;
  instance_hash: string;
  cluster_id: string | null;
  score: number | null;
}

const columnsOf = (recs: Rec[]): RunColumns => ({
  task: recs.map((r) => r.task),
  subtask: recs.map((r) => r.subtask),
  instance_id: recs.map((r) => r.instance_id),
  sample: recs.map((r) => r.sample),
  instance_hash: recs.map((r) => r.instance_hash),
  cluster_id: recs.map((r) => r.cluster_id),
  score: recs.map((r) => r.score),
});

const literal = (v: string | number | null) => (v === null ? "NULL" : typeof v === "number" ? String(v) : `'${v.replaceAll("'", "''")}'`);

/** alignSql() run by DuckDB (as the CLI does), as positions into the two runs. */
async function duckdbAlignment(a: Rec[], b: Rec[]): Promise<{ rowA: number[]; rowB: number[]; pairing: Pairing[] }> {
  const db = await DuckDBInstance.create(":memory:");
  const conn = await db.connect();
  try {
    for (const [table, recs] of [["run_a", a], ["run_b", b]] as const) {
      await conn.run(`CREATE TABLE ${table} (row INTEGER, task VARCHAR, subtask VARCHAR, instance_id VARCHAR, sample INTEGER, instance_hash VARCHAR, cluster_id VARCHAR, score DOUBLE)`);
      if (recs.length === 0) continue;
      const values = recs.map((r, i) => `(${[i, r.task, r.subtask, r.instance_id, r.sample, r.instance_hash, r.cluster_id, r.score].map(literal).join(", ")})`);
      await conn.run(`INSERT INTO ${table} VALUES ${values.join(", ")}`);
    }
    const rows = (await conn.runAndReadAll(alignSql("run_a", "run_b", ["row"]))).getRowObjectsJS();
    return { rowA: rows.map((r) => (r.row_a ?? -1) as number), rowB: rows.map((r) => (r.row_b ?? -1) as number), pairing: rows.map((r) => r.pairing as Pairing) };
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

const triples = (al: { rowA: ArrayLike<number>; rowB: ArrayLike<number>; pairing: ArrayLike<Pairing | number> }) =>
  Array.from(al.rowA, (ra, i) => `${ra},${al.rowB[i]},${typeof al.pairing[i] === "number" ? PAIRINGS[al.pairing[i] as number] : al.pairing[i]}`);

/** A deterministic pseudo-random generator, so every fixture is reproducible. */
function lcg(seed: number) {
  let state = seed >>> 0;
  return (n: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
}

// ids whose byte order differs from JS `<` (an astral character against one above U+E000), accents, quotes
const IDS = ["q1", "q10", "q2", "Q1", "é", "e\u0301", "\u{1F600}", "\uFFFD", "\uE000x", "it's", "a/b", ""];

/** Two runs of one benchmark: shuffled file order, missing questions, changed hashes, repeated samples, clusters. */
function fixture(seed: number, duplicates: boolean): { a: Rec[]; b: Rec[] } {
  const rand = lcg(seed);
  const all: Rec[] = [];
  for (const task of ["gsm8k", "mmlu", "mmlu/x"]) {
    for (const [k, id] of IDS.entries()) {
      for (let sample = 0; sample < (k % 3 === 0 ? 3 : 1); sample++) {
        all.push({ task, subtask: k % 2 ? `s${k % 4}` : null, instance_id: id || `id${k}`, sample: sample * 5, instance_hash: `h${id}`, cluster_id: k % 5 ? `c${k % 3}` : null, score: null });
      }
    }
  }
  const runOf = (drop: number, changed: number) => {
    const recs: Rec[] = [];
    for (const r of all) {
      if (rand(100) < drop) continue;
      const score = rand(10) === 0 ? null : rand(2);
      recs.push({ ...r, score, instance_hash: rand(100) < changed ? `${r.instance_hash}'` : r.instance_hash });
      if (duplicates && rand(10) === 0) recs.push({ ...r, score: rand(2) });
    }
    for (let i = recs.length - 1; i > 0; i--) {
      const j = rand(i + 1);
      [recs[i], recs[j]] = [recs[j], recs[i]];
    }
    return recs;
  };
  return { a: runOf(10, 5), b: runOf(15, 5) };
}

const keyOf = (al: AlignedColumns, i: number) => {
  const row = alignedRow(al, i);
  return JSON.stringify([row.task, row.instance_id, row.sample]);
};

describe("alignColumns", () => {
  it("gives alignSql's rows, in its order, on runs with missing questions, changed hashes, samples, clusters and awkward ids", async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { a, b } = fixture(seed, false);
      const expected = await duckdbAlignment(a, b);
      const actual = alignColumns(columnsOf(a), columnsOf(b));
      expect(triples(actual), `seed ${seed}`).toEqual(triples(expected));
      expect(new Set(expected.pairing), `seed ${seed}`).toEqual(new Set(PAIRINGS));
    }
  });

  it("pairs every record of a repeated key with every one in the other run, as the join does", async () => {
    for (const seed of [6, 7, 8]) {
      const { a, b } = fixture(seed, true);
      const expected = await duckdbAlignment(a, b);
      const actual = alignColumns(columnsOf(a), columnsOf(b));
      // the order of rows sharing a key is not fixed by alignSql: compare keys in order, and rows per key as sets
      const duck: AlignedColumns = { ...actual, rowA: Int32Array.from(expected.rowA), rowB: Int32Array.from(expected.rowB), pairing: Uint8Array.from(expected.pairing, (p) => PAIRINGS.indexOf(p)) };
      const keys = (al: AlignedColumns) => Array.from(al.pairing, (_, i) => keyOf(al, i));
      expect(keys(actual)).toEqual(keys(duck));
      expect(triples(actual).sort()).toEqual(triples(expected).sort());
      expect(actual.pairing.length).toBeGreaterThan(Math.max(a.length, b.length) - 10);
    }
  });

  it("leads to the same report as the DuckDB alignment, clusters included", async () => {
    const { a, b } = fixture(9, false);
    const expected = await duckdbAlignment(a, b);
    const actual = alignColumns(columnsOf(a), columnsOf(b));
    const rows = (al: { rowA: ArrayLike<number>; rowB: ArrayLike<number>; pairing: ArrayLike<number> }) =>
      Array.from(al.pairing, (_, i) => alignedRow({ a: columnsOf(a), b: columnsOf(b), rowA: Int32Array.from(al.rowA), rowB: Int32Array.from(al.rowB), pairing: Uint8Array.from(al.pairing), acrossTasks: null }, i));
    const settings = { seed: 3, B: 500, alpha: 0.05 };
    const report = compareReport(rows(actual), {}, settings);
    expect(report.clustered).not.toBeNull();
    expect(report).toEqual(compareReport(rows({ ...expected, pairing: expected.pairing.map((p) => PAIRINGS.indexOf(p)) }), {}, settings));
  });

  it("aligns empty runs", () => {
    const { a } = fixture(1, false);
    const onlyA = alignColumns(columnsOf(a), columnsOf([]));
    expect(new Set(onlyA.pairing)).toEqual(new Set([PAIRINGS.indexOf("only_a")]));
    expect(alignColumns(columnsOf([]), columnsOf([])).pairing).toHaveLength(0);
  });

  it("pairs two runs of one task each under different names by question id, and says so", () => {
    const candidate = columnsOf([
      { task: "mmlu_pro_new", subtask: null, instance_id: "q1", sample: 0, instance_hash: "h1", cluster_id: null, score: 1 },
      { task: "mmlu_pro_new", subtask: null, instance_id: "q2", sample: 0, instance_hash: "h2", cluster_id: null, score: 0 },
      { task: "mmlu_pro_new", subtask: null, instance_id: "q3", sample: 0, instance_hash: "h3", cluster_id: null, score: 1 },
    ]);
    const baseline = columnsOf([
      { task: "mmlu_pro_old", subtask: null, instance_id: "q1", sample: 0, instance_hash: "h1", cluster_id: null, score: 0 },
      { task: "mmlu_pro_old", subtask: null, instance_id: "q2", sample: 0, instance_hash: "changed", cluster_id: null, score: 0 },
      { task: "mmlu_pro_old", subtask: null, instance_id: "q4", sample: 0, instance_hash: "h4", cluster_id: null, score: 1 },
    ]);
    const aligned = alignColumns(candidate, baseline);
    expect(aligned.acrossTasks).toEqual({ candidate_task: "mmlu_pro_new", baseline_task: "mmlu_pro_old" });
    // the hashes still guard: q2 changed, so it is a mismatch, never paired
    expect(Array.from(aligned.pairing, (p, i) => `${alignedRow(aligned, i).instance_id}:${PAIRINGS[p]}`)).toEqual(["q1:shared", "q2:mismatch", "q3:only_a", "q4:only_b"]);
  });

  it("does not pair across task names when a run holds several tasks, or no id is in common", () => {
    const run = (tasks: string[], ids: string[]) => columnsOf(ids.map((id, i) => ({ task: tasks[i % tasks.length], subtask: null, instance_id: id, sample: 0, instance_hash: id, cluster_id: null, score: 1 })));
    expect(alignColumns(run(["gsm8k", "mmlu"], ["q1", "q2"]), run(["arc"], ["q1", "q2"])).acrossTasks).toBeNull();
    expect(alignColumns(run(["gsm8k"], ["g1", "g2"]), run(["mmlu"], ["m1", "m2"])).acrossTasks).toBeNull();
    expect(alignColumns(run(["gsm8k"], ["q1"]), run(["gsm8k"], ["q1"])).acrossTasks).toBeNull();
  });
});

describe("compareCells orders as DuckDB's ORDER BY does", () => {
  it("text by UTF-8 bytes, at every boundary between the BMP, surrogates and the private use area", () => {
    const texts = ["a", "\uD7FF", "\uE000", "\uE001", "\uFFFF", "\u{10000}", "\u{103FF}", "\u{10400}", "\u{10FFFF}", "\uE000a", "\u{10000}a"];
    const byUtf8 = [...texts].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...texts].sort(compareCells)).toEqual(byUtf8);
    expect([...texts].reverse().sort(compareCells)).toEqual(byUtf8);
  });

  it("numbers numerically, equal cells as equal, NULLS LAST", () => {
    expect([10, 2, null, 1, undefined, 2].sort(compareCells)).toEqual([1, 2, 2, 10, null, undefined]);
    expect(["b", null, "a"].sort(compareCells)).toEqual(["a", "b", null]);
    expect(compareCells(null, null)).toBe(0);
    expect(compareCells("x", "x")).toBe(0);
    expect(compareCells(3, 3)).toBe(0);
    // "zz" sorts after the word "null": a null compared as text would come first
    for (const missing of [null, undefined]) {
      expect(compareCells(missing, "zz")).toBeGreaterThan(0);
      expect(compareCells("zz", missing)).toBeLessThan(0);
    }
    expect(compareCells(1, "1")).toBe(0);
    expect(compareCells(10, "9")).toBeLessThan(0);
    expect(compareCells("9", 10)).toBeGreaterThan(0);
  });
});

describe("alignColumns on runs out of key order", () => {
  it("sorts a run only when it is out of order (runs usually are in order)", () => {
    const rec = (instance_id: string): Rec => ({ task: "t", subtask: null, instance_id, sample: 0, instance_hash: "h", cluster_id: null, score: 1 });
    const sort = vi.spyOn(Int32Array.prototype, "sort");
    try {
      alignColumns(columnsOf([rec("q1"), rec("q1"), rec("q2")]), columnsOf([rec("q1")]));
      expect(sort).not.toHaveBeenCalled();
      alignColumns(columnsOf([rec("q2"), rec("q1")]), columnsOf([rec("q1")]));
      expect(sort).toHaveBeenCalledTimes(1);
    } finally {
      sort.mockRestore();
    }
  });

  it("sorts them, keeping the file order of records with one key", () => {
    const rec = (instance_id: string, hash: string): Rec => ({ task: "t", subtask: null, instance_id, sample: 0, instance_hash: hash, cluster_id: null, score: 1 });
    const a = [rec("q2", "h2"), rec("q1", "first"), rec("q3", "h3"), rec("q1", "second"), rec("q1", "third")];
    const b = [rec("q3", "h3"), rec("q1", "first")];
    const aligned = alignColumns(columnsOf(a), columnsOf(b));
    expect(Array.from(aligned.rowA)).toEqual([1, 3, 4, 0, 2]);
    expect(Array.from(aligned.rowB)).toEqual([1, 1, 1, -1, 0]);
    expect(Array.from(aligned.pairing, (p) => PAIRINGS[p])).toEqual(["shared", "mismatch", "mismatch", "only_a", "shared"]);
  });
});
