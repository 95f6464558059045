import { describe, expect, it } from "vitest";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { importPaths, planImport } from "./index";
import type { TableMapping } from "./types";
import { shared } from "./testing";

// Whole real benchmark outputs through DuckDB: left out of mutation runs (vitest.mutation-folder.config.ts),
// where table.test.ts's hand-made tables cover the same code in a fraction of the time.
const MMLU_PRO = (model: string) => shared("mmlu-pro-mistral-7b-v0.1-vs-v0.2", `model_outputs_${model}_5shots.zip`);
const MMLU_PRO_MAPPING: TableMapping = { id: "question_id", score: "coalesce(pred = answer, false)", response: "generated_text", target: "answer", prompt: "question", subtask: "category", cluster: "src" };
const BBH_DAVINCI = (config: string, task: string) => shared("bbh-code-davinci-002-cot-vs-direct", `code-davinci-002-${config}`, `${task}_few_shot_template_0-255000.json`);

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
