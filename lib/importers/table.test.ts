import fs from "node:fs";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it, vi } from "vitest";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { importPaths, planImport } from "./index";
import type { TableMapping } from "./types";
import { shared } from "./testing";

const MMLU_PRO = (model: string) => shared("mmlu-pro-mistral-7b-v0.1-vs-v0.2", `model_outputs_${model}_5shots.zip`);
const MMLU_PRO_MAPPING: TableMapping = { id: "question_id", score: "coalesce(pred = answer, false)", response: "generated_text", target: "answer", prompt: "question", subtask: "category", cluster: "src" };
const BBH_DAVINCI = (config: string, task: string) => shared("bbh-code-davinci-002-cot-vs-direct", `code-davinci-002-${config}`, `${task}_few_shot_template_0-255000.json`);

/** Writes a small table file for edge cases. */
function tableFile(name: string, text: string): string {
  const file = path.join(tempWorkspace(), name);
  fs.writeFileSync(file, text);
  return file;
}

describe("table import of MMLU-Pro outputs (.zip of a JSON array) via SQL mapping", () => {
  it("gives the strict accuracies PROVENANCE.md reports, 12,032 questions in 14 categories, paired across checkpoints", async () => {
    const ws = tempWorkspace();
    const v1 = await importPaths(ws, [MMLU_PRO("Mistral-7B-v0.1")], { table: MMLU_PRO_MAPPING, modelName: "Mistral-7B", checkpoint: "v0.1", task: "mmlu_pro" });
    const v2 = await importPaths(ws, [MMLU_PRO("Mistral-7B-v0.2-hf")], { table: MMLU_PRO_MAPPING, modelName: "Mistral-7B", checkpoint: "v0.2", task: "mmlu_pro" });
    const [a] = v1.created;
    const [b] = v2.created;
    expect(a.counts.done).toBe(12032);
    expect(b.counts.done).toBe(12032);
    expect(a.metrics.score.value).toBeCloseTo(0.2977, 4);
    expect(b.metrics.score.value).toBeCloseTo(0.2917, 4);
    expect(a.source.path).toBe("model_outputs_Mistral-7B-v0.1_5shots.zip, entry model_outputs_Mistral-7B-v0.1_5shots.json");
    expect(a.task.name).toBe("mmlu_pro");
  });

  it("maps subtask, cluster and text columns, and hashes the question so two checkpoints pair", async () => {
    const [one, two] = await Promise.all(["Mistral-7B-v0.1", "Mistral-7B-v0.2-hf"].map(async (m) => (await planImport([MMLU_PRO(m)], { table: MMLU_PRO_MAPPING, modelName: m })).runs[0].records));
    expect(new Set(one.map((r) => r.subtask)).size).toBe(14);
    expect(one[0]).toMatchObject({ instance_id: "70", cluster_id: expect.stringMatching(/^ori_mmlu-/) });
    const hashes = new Map(two.map((r) => [r.instance_id, r.instance_hash]));
    expect(one.every((r) => hashes.get(r.instance_id) === r.instance_hash)).toBe(true);
  });
});

describe("table import of BBH code-davinci-002 outputs ({canary, outputs: [...]}, ids by row position)", () => {
  const cot: TableMapping = { id: "#row", score: "trim(regexp_extract(prediction, 'So the answer is (.*)\\.', 1)) = target", response: "prediction", target: "target", prompt: "input" };
  const direct: TableMapping = { ...cot, score: "trim(prediction) = target" };

  it("reproduces the accuracies of the repo's eval_metrics files", async () => {
    const expected: [string, TableMapping, string, number][] = [
      ["cot", cot, "boolean_expressions", 0.928], ["cot", cot, "date_understanding", 0.872], ["cot", cot, "object_counting", 0.932],
      ["direct", direct, "boolean_expressions", 0.884], ["direct", direct, "date_understanding", 0.636], ["direct", direct, "object_counting", 0.452],
    ];
    for (const [config, mapping, task, accuracy] of expected) {
      const { runs } = await planImport([BBH_DAVINCI(config, task)], { table: mapping, modelName: "code-davinci-002", checkpoint: config });
      const records = runs[0].records;
      expect(records).toHaveLength(250);
      expect(records.reduce((sum, r) => sum + (r.score ?? 0), 0) / 250).toBeCloseTo(accuracy, 9);
      expect(records[3].instance_id).toBe("3");
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

  it("names a JSONL file cut short", async () => {
    const cut = tableFile("cut.jsonl", '{"id": 1, "s": 1}\n{"id": 2, "s"');
    await expect(planImport([cut], { table: { id: "id", score: "s" }, modelName: "m" })).rejects.toThrow(/cut\.jsonl cannot be read as a table/);
  });

  it("asks for --model-name, which a table does not record", async () => {
    await expect(planImport([csv], { table: { id: "qid", score: "pred = gold" } })).rejects.toThrow(/answers\.csv does not record the model; name it with --model-name/);
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
    // 3,000 rows of 100 kB each: about 300 MB in memory from a Parquet file of about 50 kB
    const file = path.join(tempWorkspace(), "bomb.parquet");
    const writer = await DuckDBInstance.create(":memory:");
    const conn = await writer.connect();
    await conn.run(`COPY (SELECT i AS qid, repeat('x', 100000) || i::VARCHAR AS answer FROM range(3000) t(i)) TO '${file}' (FORMAT parquet, COMPRESSION zstd)`);
    conn.closeSync();
    writer.closeSync();
    expect(fs.statSync(file).size).toBeLessThan(200_000);
    vi.stubEnv("EVALBENCH_TABLE_MEMORY_MB", "64");
    try {
      await expect(planImport([file], { table: { id: "qid", score: "1", response: "answer" }, modelName: "m" })).rejects.toThrow(
        /^bomb\.parquet needs more than the 64 MB of memory a table may use to load and map \(EVALBENCH_TABLE_MEMORY_MB\)/,
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
