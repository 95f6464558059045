import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it, vi } from "vitest";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { planImport } from "./index";
import { instanceHash, contentHash } from "@/lib/schema/hash";
import { zipFile } from "@/lib/unpack/testing";
import type { TableMapping } from "./types";

/** Writes a small table file for edge cases. */
function tableFile(name: string, text: string): string {
  const file = path.join(tempWorkspace(), name);
  fs.writeFileSync(file, text);
  return file;
}

/** A deflated ZIP entry of `text`. */
const entry = (name: string, text: string) => ({ name, method: 8, data: zlib.deflateRawSync(Buffer.from(text)), declared: Buffer.byteLength(text) });

/** Rows shaped like MMLU-Pro's outputs: a JSON array, one object per question, `pred` the model's letter. */
const mmluLike = (preds: string[]) =>
  JSON.stringify(preds.map((pred, i) => ({ question_id: 70 + i, question: `Q${i}?`, answer: "B", pred, generated_text: `The answer is (${pred})`, category: i % 2 ? "law" : "math", src: `ori_mmlu-${i}` })));
const MMLU_LIKE: TableMapping = { id: "question_id", score: "coalesce(pred = answer, false)", response: "generated_text", target: "answer", prompt: "question", subtask: "category", cluster: "src" };

describe("table import of a ZIP of tables (hand-made, in MMLU-Pro's layout)", () => {
  const archive = (name: string, preds: string[]) =>
    zipFile([entry("__MACOSX/._outputs.json", "junk"), entry("README.txt", "not a table"), entry("outputs.json", mmluLike(preds)), entry("more/extra.jsonl", '{"question_id": 1, "question": null, "answer": "B", "pred": "B", "generated_text": null, "category": null, "src": null}\n')], name);

  it("makes one run per table entry, every column mapped to its own field, named by archive and entry", async () => {
    const file = archive("v1.zip", ["B", "C", null as unknown as string]);
    const { runs } = await planImport([file], { table: MMLU_LIKE, modelName: "m" });
    expect(runs.map((r) => [r.run.task.name, r.run.source.path])).toEqual([
      ["outputs", "v1.zip, entry outputs.json"],
      ["extra", "v1.zip, entry more/extra.jsonl"],
    ]);
    const [outputs] = runs;
    expect(outputs.records.map((r) => [r.task, r.instance_id, r.score, r.subtask, r.cluster_id, r.prompt, r.response, r.target])).toEqual([
      ["outputs", "70", 1, "math", "ori_mmlu-0", "Q0?", "The answer is (B)", "B"],
      ["outputs", "71", 0, "law", "ori_mmlu-1", "Q1?", "The answer is (C)", "B"],
      ["outputs", "72", 0, "math", "ori_mmlu-2", "Q2?", "The answer is (null)", "B"],
    ]);
    expect(outputs.records[0].scores).toEqual({ score: 1 });
    expect(outputs.records[0].instance_hash).toBe(instanceHash({ prompt: "Q0?" }, "B"));
    expect(outputs.run).toMatchObject({
      model: { name: "m", provider: null, checkpoint: null, step: null },
      task: { name: "outputs", variant: null, hash: contentHash({ tool: "table", mapping: MMLU_LIKE }), config: { mapping: MMLU_LIKE } },
      harness: { name: "table", config: {} },
      source: { kind: "import", tool: "table (SQL mapping evaluated by DuckDB)" },
      primary_metric: "score",
      tags: ["import", "table"],
      seed: 0,
    });
    expect(outputs.run.metrics).toEqual({ score: { value: null, se: null, ci: null, n: 0, higher_is_better: true } });
    expect(runs[1].records.map((r) => [r.instance_id, r.score, r.prompt, r.response, r.target])).toEqual([["1", 1, null, null, "B"]]);
  });

  it("pairs two checkpoints' questions by prompt and target, whatever they answered", async () => {
    const [one, two] = await Promise.all([archive("v1.zip", ["B", "C"]), archive("v2.zip", ["A", "B"])].map(async (file) => (await planImport([file], { table: MMLU_LIKE, modelName: "m" })).runs[0].records));
    expect(two.map((r) => r.instance_hash)).toEqual(one.map((r) => r.instance_hash));
    expect(new Set(one.map((r) => r.instance_hash)).size).toBe(2);
  });

  it("refuses an archive with no table in it", async () => {
    const file = zipFile([entry("README.txt", "hi"), entry("__MACOSX/x.json", "[]")], "empty.zip");
    await expect(planImport([file], { table: MMLU_LIKE, modelName: "m" })).rejects.toThrow(/^empty\.zip holds no JSON, JSONL, CSV or Parquet file$/);
  });
});

describe("table import of one JSON object holding its rows (hand-made, in BBH code-davinci-002's layout)", () => {
  const bbhLike = (outputs: unknown[], extra: Record<string, unknown> = {}) => tableFile("boolean_expressions.json", JSON.stringify({ canary: "BIG-bench canary", ...extra, outputs }));
  const rows = [
    { input: "not ( True ) and ( True ) is", target: "False", prediction: "So the answer is False." },
    { input: "True and not not ( not False ) is", target: "True", prediction: "So the answer is False." },
  ];
  const byPosition: TableMapping = { id: "#row", score: "trim(regexp_extract(prediction, 'So the answer is (.*)\\.', 1)) = target", response: "prediction", target: "target", prompt: "input" };

  it("unnests its only list, ids by row position", async () => {
    const { runs } = await planImport([bbhLike(rows)], { table: byPosition, modelName: "m" });
    expect(runs[0].records.map((r) => [r.instance_id, r.score, r.prompt, r.target])).toEqual([
      ["0", 1, rows[0].input, "False"],
      ["1", 0, rows[1].input, "True"],
    ]);
  });

  it("takes the rows from the field --rows names, and says which fields there are when it is missing", async () => {
    const file = bbhLike(rows, { examples: [{ other: 1 }] });
    const { runs } = await planImport([file], { table: { ...byPosition, rows: "outputs" }, modelName: "m" });
    expect(runs[0].records).toHaveLength(2);
    await expect(planImport([file], { table: { ...byPosition, rows: "answers" }, modelName: "m" })).rejects.toThrow(
      /^boolean_expressions\.json has no field answers to take rows from \(--rows\); its fields: canary, examples, outputs$/,
    );
  });
});

describe("table import of each file type", () => {
  it("reads TSV, NDJSON and Parquet, and names a run by its file's stem", async () => {
    const tsv = tableFile("a.tsv", "qid\tok\nq1\ttrue\nq2\tfalse\n");
    const ndjson = tableFile("b.ndjson", '{"qid": "q1", "ok": true}\n{"qid": "q2", "ok": false}\n');
    const parquet = path.join(tempWorkspace(), "c.parquet");
    const db = await DuckDBInstance.create(":memory:");
    const conn = await db.connect();
    await conn.run(`COPY (SELECT 'q' || i AS qid, i = 1 AS ok FROM range(1, 3) t(i)) TO '${parquet}' (FORMAT parquet)`);
    conn.closeSync();
    db.closeSync();
    for (const file of [tsv, ndjson, parquet]) {
      const { runs } = await planImport([file], { table: { id: "qid", score: "ok" }, modelName: "m" });
      expect(runs[0].run.task.name, file).toBe(path.basename(file).replace(/\.[a-z]+$/, ""));
      expect(runs[0].records.map((r) => [r.instance_id, r.score]), file).toEqual([["q1", 1], ["q2", 0]]);
    }
  });
});

describe("table import: bad input", () => {
  const csv = tableFile("answers.csv", "qid,pred,gold,category\nq1,A,A,math\nq2,B,C,math\nq3,C,C,law\n");

  it("reads CSV and names the metric", async () => {
    const { runs } = await planImport([csv], { table: { id: "qid", score: "pred = gold", subtask: "category", metric: "correct" }, modelName: "m" });
    expect(runs[0].records.map((r) => [r.instance_id, r.score, r.subtask])).toEqual([["q1", 1, "math"], ["q2", 0, "math"], ["q3", 1, "law"]]);
    expect(runs[0].run.primary_metric).toBe("correct");
  });

  it("puts each mapped text column in its own field: response, target, prompt", async () => {
    const { runs } = await planImport([csv], { table: { id: "qid", score: "pred = gold", response: "'said ' || pred", target: "gold", prompt: "'question ' || qid" }, modelName: "m" });
    expect(runs[0].records.map((r) => [r.instance_id, r.prompt, r.response, r.target])).toEqual([
      ["q1", "question q1", "said A", "A"],
      ["q2", "question q2", "said B", "C"],
      ["q3", "question q3", "said C", "C"],
    ]);
  });

  it("says which flag names a missing column, listing the columns", async () => {
    await expect(planImport([csv], { table: { id: "qid", score: "prediction = gold" }, modelName: "m" })).rejects.toThrow(/--score "prediction = gold" does not work on answers\.csv: .*prediction.*; its columns are: qid, pred, gold, category/);
  });

  it("says which flag does not parse", async () => {
    await expect(planImport([csv], { table: { id: "qid", score: "pred = = gold" }, modelName: "m" })).rejects.toThrow(/--score "pred = = gold" does not work on answers\.csv: Parser Error/);
  });

  it("gives the expressions no access to files", async () => {
    await expect(planImport([csv], { table: { id: "qid", score: "(SELECT count(*) FROM read_csv('/etc/passwd')) > 0" }, modelName: "m" })).rejects.toThrow(/--score .* does not work on answers\.csv/);
  });

  it("refuses duplicate ids and non-numeric scores, or skips and reports them with --skip-bad-rows", async () => {
    const messy = tableFile("messy.jsonl", ['{"id": 1, "s": 1}', '{"id": 1, "s": 0}', '{"id": 2, "s": "yes"}', '{"id": 3, "s": null}'].join("\n"));
    await expect(planImport([messy], { table: { id: "id", score: "s" }, modelName: "m" })).rejects.toThrow(/messy\.jsonl row 2: id 1 is used by an earlier row/);
    const { runs, skipped } = await planImport([messy], { table: { id: "id", score: "s" }, modelName: "m", skipBadRows: true });
    expect(runs[0].records.map((r) => [r.instance_id, r.score])).toEqual([["1", 1], ["3", null]]);
    expect(skipped.map((s) => s.where)).toEqual(["row 2", "row 3"]);
    expect(skipped[1].reason).toMatch(/yes.*, which is not a number or true\/false/);
  });

  it("refuses a row whose id is empty or null, naming the flag, or skips it with --skip-bad-rows", async () => {
    const gaps = tableFile("gaps.jsonl", ['{"id": "a", "s": 1}', '{"id": "", "s": 1}', '{"id": null, "s": 0}'].join("\n"));
    await expect(planImport([gaps], { table: { id: "id", score: "s" }, modelName: "m" })).rejects.toThrow(/gaps\.jsonl row 2: --id "id" is empty; give an expression that is set on every row, or --id '#row'/);
    const { runs, skipped } = await planImport([gaps], { table: { id: "id", score: "s" }, modelName: "m", skipBadRows: true });
    expect(runs[0].records.map((r) => r.instance_id)).toEqual(["a"]);
    expect(skipped.map((s) => [s.file, s.where])).toEqual([["gaps.jsonl", "row 2"], ["gaps.jsonl", "row 3"]]);
  });

  it("names a JSONL file cut short", async () => {
    const cut = tableFile("cut.jsonl", '{"id": 1, "s": 1}\n{"id": 2, "s"');
    await expect(planImport([cut], { table: { id: "id", score: "s" }, modelName: "m" })).rejects.toThrow(/cut\.jsonl cannot be read as a table/);
  });

  it("asks for --model-name, which a table does not record", async () => {
    await expect(planImport([csv], { table: { id: "qid", score: "pred = gold" } })).rejects.toThrow(/answers\.csv does not record the model; name it with --model-name/);
  });
});

describe("table import: limits set in the environment", () => {
  const csv = tableFile("few.csv", "qid,pred,gold\nq1,A,A\n");

  it("a memory limit or time limit that is not a number is refused, naming the variable", async () => {
    for (const [name, value, message] of [
      ["EVALBENCH_TABLE_MEMORY_MB", "63", /^EVALBENCH_TABLE_MEMORY_MB=63 is not a whole number of megabytes, 64 or more$/],
      ["EVALBENCH_TABLE_MEMORY_MB", "64.5", /^EVALBENCH_TABLE_MEMORY_MB=64\.5 is not a whole number/],
      ["EVALBENCH_MAPPING_TIMEOUT_S", "0", /^EVALBENCH_MAPPING_TIMEOUT_S=0 is not a positive number of seconds$/],
      ["EVALBENCH_MAPPING_TIMEOUT_S", "soon", /^EVALBENCH_MAPPING_TIMEOUT_S=soon is not a positive number of seconds$/],
    ] as const) {
      vi.stubEnv(name, value);
      try {
        await expect(planImport([csv], { table: { id: "qid", score: "pred = gold" }, modelName: "m" }), `${name}=${value}`).rejects.toThrow(message);
      } finally {
        vi.unstubAllEnvs();
      }
    }
    // the least memory imports a small table
    vi.stubEnv("EVALBENCH_TABLE_MEMORY_MB", "64");
    vi.stubEnv("EVALBENCH_MAPPING_TIMEOUT_S", "0.5");
    try {
      expect((await planImport([csv], { table: { id: "qid", score: "pred = gold" }, modelName: "m" })).runs[0].records).toHaveLength(1);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe("table import: runaway mapping queries", () => {
  const csv = tableFile("few.csv", "qid,pred,gold\nq1,A,A\nq2,B,C\n");
  const runaway: TableMapping = { id: "qid", score: "(SELECT count(*) FROM range(1000000000000)) > 0" };

  it("are stopped at the time limit, naming it", async () => {
    vi.stubEnv("EVALBENCH_MAPPING_TIMEOUT_S", "0.5");
    try {
      await expect(planImport([csv], { table: runaway, modelName: "m" })).rejects.toThrow(/^the mapping's queries on few\.csv ran past 0\.5 s and were stopped \(EVALBENCH_MAPPING_TIMEOUT_S\)/);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("are stopped when the request that asked goes away", async () => {
    const request = new AbortController();
    const planned = planImport([csv], { table: runaway, modelName: "m", signal: request.signal });
    setTimeout(() => request.abort(), 300);
    await expect(planned).rejects.toThrow(/the import of few\.csv was stopped: the request that asked for it went away/);
  });
});

describe("table import: memory", () => {
  it("a Parquet file that unpacks past the table memory limit is refused, naming the file and the limit", async () => {
    // 1,500 rows of 100 kB each: about 150 MB in memory from a Parquet file of about 25 kB
    const file = path.join(tempWorkspace(), "bomb.parquet");
    const writer = await DuckDBInstance.create(":memory:");
    const conn = await writer.connect();
    await conn.run(`COPY (SELECT i AS qid, repeat('x', 100000) || i::VARCHAR AS answer FROM range(1500) t(i)) TO '${file}' (FORMAT parquet, COMPRESSION zstd)`);
    conn.closeSync();
    writer.closeSync();
    expect(fs.statSync(file).size).toBeLessThan(200_000);
    vi.stubEnv("EVALBENCH_TABLE_MEMORY_MB", "64");
    try {
      await expect(planImport([file], { table: { id: "qid", score: "1", response: "answer" }, modelName: "m" })).rejects.toThrow(
        /^bomb\.parquet needs more than the 64 MB of memory a table may use to load and map \(EVALBENCH_TABLE_MEMORY_MB\): it unpacks to more than that; raise the limit if the file is genuine$/,
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
