import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { contentHash, instanceHash } from "@/lib/schema/hash";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { importPaths, planImport } from "./index";
import { isLmEvalFile } from "./lm-eval";
import { shared } from "./testing";

const GSM8K = shared("gsm8k-lmeval-llada-8b-base");
const BBH = shared("bbh-lmeval-llama3.2-3b-instruct-vs-thinking-ft");

/** results_*.json's per-task numbers, for checking the imported aggregates against. */
function reportedResults(file: string): Record<string, Record<string, number>> {
  return JSON.parse(fs.readFileSync(file, "utf8")).results;
}

describe("lm-eval-harness import (GSM8K, LLaDA-8B-Base)", () => {
  const ws = tempWorkspace();
  const imported = importPaths(ws, [GSM8K]);

  it("creates one run per samples file with the docs PROVENANCE.md lists (10, 10, 50)", async () => {
    const { created } = await imported;
    expect(created.map((m) => m.counts.done).sort((a, b) => a - b)).toEqual([10, 10, 50]);
    for (const m of created) {
      expect(m.source).toMatchObject({ kind: "import", tool: expect.stringMatching(/^lm-eval-harness /) });
      expect(m.model.name).toBe("GSAI-ML/LLaDA-8B-Base");
      expect(m.model.provider).toBe("LLADA");
      expect(m.task).toMatchObject({ name: "gsm8k", variant: null });
      expect(m.primary_metric).toBe("exact_match,strict-match");
      expect(m.tags).toContain("import");
    }
  });

  it("every metric and filter of results_*.json equals the aggregate of the imported records, stderr included", async () => {
    const { created } = await imported;
    for (const m of created) {
      const time = /samples_gsm8k_(.+)\.jsonl/.exec(m.source.path!)![1];
      const reported = reportedResults(path.join(GSM8K, `results_${time}.json`)).gsm8k;
      for (const key of ["exact_match,strict-match", "exact_match,flexible-extract"]) {
        expect(m.metrics[key].value).toBeCloseTo(reported[key], 12);
        expect(m.metrics[key].se).toBeCloseTo(reported[key.replace(",", "_stderr,")], 12);
      }
    }
    const big = created.find((m) => m.counts.done === 50)!;
    expect(big.metrics["exact_match,strict-match"].value).toBeCloseTo(0.64, 12);
    expect(big.metrics["exact_match,flexible-extract"].value).toBeCloseTo(0.62, 12);
  });

  it("joins the two lines per doc (one per filter) into one record keeping each filter's answer", async () => {
    const { runs } = await planImport([path.join(GSM8K, "samples_gsm8k_2025-12-06T19-57-35.103228.jsonl")]);
    const [run] = runs;
    expect(run.records).toHaveLength(50);
    const first = run.records[0];
    expect(first.instance_id).toBe("0");
    expect(Object.keys(first.scores!).sort()).toEqual(["exact_match,flexible-extract", "exact_match,strict-match"]);
    expect(first.transcript).toHaveLength(2);
    expect(first.prompt).toMatch(/^Question: /);
    expect(first.target).toMatch(/#### 18$/);
  });

  it("importing the same files again writes nothing and names the runs that exist", async () => {
    const { created } = await imported;
    const again = await importPaths(ws, [GSM8K]);
    expect(again.created).toEqual([]);
    expect(again.existing.sort()).toEqual(created.map((m) => m.run_id).sort());
  });
});

describe("lm-eval-harness import (BBH, base vs thinking fine-tune)", () => {
  const ws = tempWorkspace();
  const imported = importPaths(ws, [BBH]);

  it("names the task bbh, the variant the lm-eval task, and matches results_*.json per task", async () => {
    const { created } = await imported;
    expect(created).toHaveLength(4);
    for (const m of created) {
      expect(m.task.name).toBe("bbh");
      expect(m.task.variant).toMatch(/^bbh_cot_fewshot_(snarks|date_understanding)$/);
      const folder = m.model.name === "model" ? "finetuned_llama-3.2-3B-thinking" : "base_Llama-3.2-3B-Instruct";
      const resultsFile = fs.readdirSync(path.join(BBH, folder)).find((f) => f.startsWith("results_"))!;
      const reported = reportedResults(path.join(BBH, folder, resultsFile))[m.task.variant!];
      expect(m.metrics["exact_match,get-answer"].value).toBe(reported["exact_match,get-answer"]);
      expect(m.counts.done).toBe(m.task.variant!.endsWith("snarks") ? 178 : 250);
    }
  });

  it("gives questions the ids and hashes of evalbench's own bbh task, equal across the two models", async () => {
    const { runs } = await planImport([BBH]);
    const snarks = runs.filter((r) => r.run.task.variant === "bbh_cot_fewshot_snarks");
    expect(snarks).toHaveLength(2);
    const dataset = JSON.parse(fs.readFileSync(shared("bbh", "snarks.json"), "utf8")).examples as { input: string; target: string }[];
    for (const run of snarks) {
      expect(run.records[0]).toMatchObject({ task: "bbh", subtask: "snarks", instance_id: "snarks-0" });
      run.records.forEach((record, i) => expect(record.instance_hash).toBe(instanceHash({ input: dataset[i].input }, dataset[i].target)));
    }
  });

  it("lets flags override the model the source records", async () => {
    const folder = path.join(BBH, "finetuned_llama-3.2-3B-thinking");
    const { runs } = await planImport([folder], { modelName: "llama-3.2-3B-thinking", checkpoint: "ft-1", step: 1200 });
    expect(runs.map((r) => r.run.model)).toEqual(runs.map(() => expect.objectContaining({ name: "llama-3.2-3B-thinking", checkpoint: "ft-1", step: 1200 })));
    expect(runs[0].run.run_id).toMatch(/^import-lm-eval-llama-3.2-3b-thinking-bbh_cot_fewshot_/);
  });
});

describe("lm-eval-harness import: bad input", () => {
  /** A copy of the 10-doc GSM8K run in a temp folder, its samples file cut inside its last line. */
  function truncatedCopy(): string {
    const dir = tempWorkspace();
    const time = "2025-11-12T16-14-42.183000";
    fs.copyFileSync(path.join(GSM8K, `results_${time}.json`), path.join(dir, `results_${time}.json`));
    const text = fs.readFileSync(path.join(GSM8K, `samples_gsm8k_${time}.jsonl`), "utf8");
    fs.writeFileSync(path.join(dir, `samples_gsm8k_${time}.jsonl`), text.slice(0, text.length - 500));
    return dir;
  }

  it("names the file and line of a line cut short, and writes nothing", async () => {
    const ws = tempWorkspace();
    await expect(importPaths(ws, [truncatedCopy()])).rejects.toThrow(/samples_gsm8k_2025-11-12T16-14-42\.183000\.jsonl line 20: not valid JSON \(the last line is cut short/);
    expect(fs.existsSync(path.join(ws, "runs")) ? fs.readdirSync(path.join(ws, "runs")) : []).toEqual([]);
  });

  it("with --skip-bad-rows imports the rest and reports the skipped line", async () => {
    const { runs, skipped } = await planImport([truncatedCopy()], { skipBadRows: true });
    expect(skipped).toEqual([expect.objectContaining({ where: "line 20" })]);
    expect(runs[0].records).toHaveLength(10);
    expect(Object.keys(runs[0].records[9].scores!)).toEqual(["exact_match,strict-match"]);
  });

  it("refuses samples without their results file", async () => {
    const dir = tempWorkspace();
    fs.copyFileSync(path.join(GSM8K, "samples_gsm8k_2025-11-12T16-14-42.183000.jsonl"), path.join(dir, "samples_gsm8k_2025-11-12T16-14-42.183000.jsonl"));
    await expect(planImport([dir])).rejects.toThrow(/has no results_2025-11-12T16-14-42\.183000\.json beside it/);
  });
});

type Json = Record<string, unknown>;
const TIME = "2026-01-02T03-04-05.678901";

/** An lm-eval output folder: results_<time>.json and one samples_<task>_<time>.jsonl per task. */
function lmEvalFolder(results: Json, samples: Record<string, (Json | string)[]>): string {
  const dir = tempWorkspace();
  fs.writeFileSync(path.join(dir, `results_${TIME}.json`), JSON.stringify(results));
  for (const [task, lines] of Object.entries(samples)) {
    fs.writeFileSync(path.join(dir, `samples_${task}_${TIME}.jsonl`), lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n");
  }
  return dir;
}

/** A generate_until task's config with two filters, as lm-eval writes it under configs.<task>. */
const GEN_CONFIG = {
  task: "arith",
  dataset_path: "arith",
  output_type: "generate_until",
  metric_list: [{ metric: "exact_match", aggregation: "mean", higher_is_better: true }],
  filter_list: [{ name: "strict-match", filter: [{ function: "regex" }] }, { name: "flexible-extract", filter: [{ function: "regex" }] }],
  metadata: { version: 3.0, pretrained: "org/tiny-lm" },
};

function results(extra: Json = {}): Json {
  return {
    results: { arith: { alias: "arith", "exact_match,strict-match": 0.5, "exact_match_stderr,strict-match": 0.5, "exact_match,flexible-extract": 1 } },
    group_subtasks: { arith: [] },
    configs: { arith: GEN_CONFIG },
    "n-shot": { arith: 4 },
    higher_is_better: { arith: { exact_match: true } },
    "n-samples": { arith: { original: 100, effective: 2 } },
    config: { model: "hf", model_args: "pretrained=org/tiny-lm,revision=step-1000,trust_remote_code", batch_size: 8, limit: 2.0, gen_kwargs: null, random_seed: 0, fewshot_seed: 1234 },
    git_hash: "abc1234",
    date: 1767323045.5,
    model_name: "org/tiny-lm-local",
    ...extra,
  };
}

/** One (doc, filter) line of a generate_until samples file. */
function genLine(docId: number, filter: string, filtered: string, score: number | boolean, extra: Json = {}): Json {
  return {
    doc_id: docId,
    doc: { question: `What is ${docId} + ${docId}?`, answer: `#### ${2 * docId}` },
    target: `#### ${2 * docId}`,
    arguments: { gen_args_0: { arg_0: `Question: What is ${docId} + ${docId}?\nAnswer:`, arg_1: { until: ["Question:"] } } },
    resps: [[`The sum is ${2 * docId}. #### ${2 * docId}`]],
    filtered_resps: [filtered],
    filter,
    metrics: ["exact_match"],
    doc_hash: "d",
    prompt_hash: "p",
    target_hash: "t",
    exact_match: score,
    ...extra,
  };
}

const ARITH_LINES: Json[] = [genLine(1, "flexible-extract", "2", 1), genLine(1, "strict-match", "[invalid]", 0), genLine(0, "strict-match", "0", 1), genLine(0, "flexible-extract", "0", true)];

describe("lm-eval-harness import (hand-made outputs)", () => {
  it("joins a doc's lines per filter into one record: prompt, raw response, the primary filter's answer and the target told apart", async () => {
    const { runs } = await planImport([lmEvalFolder(results(), { arith: ARITH_LINES })]);
    const [run] = runs;
    expect(run.records.map((r) => r.instance_id)).toEqual(["0", "1"]);
    const one = run.records[1];
    expect(one).toMatchObject({
      task: "arith",
      subtask: null,
      prompt: "Question: What is 1 + 1?\nAnswer:",
      response: "The sum is 2. #### 2",
      extracted: "[invalid]",
      target: "#### 2",
      score: 0,
      scores: { "exact_match,strict-match": 0, "exact_match,flexible-extract": 1 },
    });
    expect(one.instance_hash).toBe(instanceHash({ question: "What is 1 + 1?", answer: "#### 2" }, "#### 2"));
    expect(one.transcript).toEqual([
      { type: "filter", filter: "flexible-extract", filtered_resps: ["2"] },
      { type: "filter", filter: "strict-match", filtered_resps: ["[invalid]"] },
    ]);
    expect(run.records[0]).toMatchObject({ score: 1, extracted: "0", scores: { "exact_match,strict-match": 1, "exact_match,flexible-extract": 1 } });
    expect(run.reported).toEqual({ "exact_match,strict-match": 0.5, "exact_match,flexible-extract": 1 });
  });

  it("scores a doc without a line for the primary filter as unscored, taking its answer from its first line", async () => {
    const lines = [genLine(0, "flexible-extract", "0", 1), { ...genLine(1, "flexible-extract", "", 1), filtered_resps: ["2", "3"] }, genLine(1, "strict-match", "2", 1)];
    const { records } = (await planImport([lmEvalFolder(results(), { arith: lines })])).runs[0];
    expect(records[0]).toMatchObject({ score: null, extracted: "0", scores: { "exact_match,flexible-extract": 1 }, transcript: null });
    expect(records[1].transcript).toEqual([
      { type: "filter", filter: "flexible-extract", filtered_resps: ["2", "3"] },
      { type: "filter", filter: "strict-match", filtered_resps: ["2"] },
    ]);
    // two answers left by a filter are kept as JSON
    const two = (await planImport([lmEvalFolder(results(), { arith: [{ ...genLine(0, "strict-match", "", 1), filtered_resps: ["2", "3"] }, genLine(1, "strict-match", "2", 1)] })])).runs[0];
    expect(two.records[0].extracted).toBe('["2","3"]');
  });

  it("gives a run an id from both its files: another results file, another run", async () => {
    const id = async (extra: Json) => (await planImport([lmEvalFolder(results(extra), { arith: ARITH_LINES })])).runs[0].run.run_id;
    const first = await id({});
    expect(first).toMatch(/^import-lm-eval-org-tiny-lm-local-arith-[0-9a-f]{10}$/);
    expect(await id({})).toBe(first);
    expect(await id({ date: 1 })).not.toBe(first);
  });

  it("takes model, checkpoint, provider, harness config, tool version and seed from the results file", async () => {
    const { run } = (await planImport([lmEvalFolder(results({ config: { ...(results().config as Json), random_seed: 42 } }), { arith: ARITH_LINES })])).runs[0];
    expect(run.model).toMatchObject({ name: "org/tiny-lm-local", checkpoint: "step-1000", provider: "hf" });
    expect(run.task).toMatchObject({ name: "arith", variant: null, config: GEN_CONFIG });
    expect(run.harness).toStrictEqual({
      name: "lm-eval-harness",
      config: { model: "hf", model_args: "pretrained=org/tiny-lm,revision=step-1000,trust_remote_code", gen_kwargs: null, batch_size: 8, limit: 2, num_fewshot: 4, fewshot_seed: 1234, git_hash: "abc1234", date: 1767323045.5 },
    });
    expect(run.source).toEqual({ kind: "import", tool: "lm-eval-harness git abc1234", path: `samples_arith_${TIME}.jsonl, results_${TIME}.json` });
    expect(run).toMatchObject({ primary_metric: "exact_match,strict-match", seed: 42, notes: null, tags: ["import", "lm-eval"] });
    expect(run.metrics).toEqual({
      "exact_match,strict-match": { value: null, se: null, ci: null, n: 0, higher_is_better: true },
      "exact_match,flexible-extract": { value: null, se: null, ci: null, n: 0, higher_is_better: true },
    });
  });

  it("reads model_args as an object, the model from pretrained when model_name is empty, and lm_eval_version", async () => {
    const config = { model: "vllm", model_args: { pretrained: "org/other", revision: 7 }, random_seed: -1 };
    const { run } = (await planImport([lmEvalFolder(results({ config, model_name: "", lm_eval_version: "0.4.9" }), { arith: ARITH_LINES })])).runs[0];
    expect(run.model).toMatchObject({ name: "org/other", checkpoint: null, provider: "vllm" });
    expect(run.source.tool).toBe("lm-eval-harness 0.4.9");
    expect(run.seed).toBe(0);
    expect(run.harness.config).toStrictEqual({ model: "vllm", model_args: { pretrained: "org/other", revision: 7 }, num_fewshot: 4, git_hash: "abc1234", date: 1767323045.5 });
  });

  it("falls back to the model type, then unknown-model, and says when no version is recorded", async () => {
    const noName = results({ config: { model: "hf", model_args: "revision=r1,,device=cpu" }, model_name: undefined, git_hash: undefined });
    const { run } = (await planImport([lmEvalFolder(noName, { arith: ARITH_LINES })])).runs[0];
    expect(run.model).toMatchObject({ name: "hf", checkpoint: "r1" });
    expect(run.source.tool).toBe("lm-eval-harness version not recorded");
    const bare = results({ config: { random_seed: null }, model_name: undefined });
    const { run: bareRun } = (await planImport([lmEvalFolder(bare, { arith: ARITH_LINES })])).runs[0];
    expect(bareRun.model).toMatchObject({ name: "unknown-model", checkpoint: null, provider: null });
    expect(bareRun.seed).toBe(0);
  });

  it("reads a multiple-choice task: the context as prompt, the log-likelihoods as JSON, acc and acc_norm per doc, lower-is-better kept", async () => {
    const config = { task: "quiz", output_type: "multiple_choice", metric_list: [{ metric: "acc" }, { metric: "acc_norm" }, { metric: "brier_score", higher_is_better: false }], metadata: { version: 1 } };
    const line = (docId: number, acc: number) => ({
      doc_id: docId,
      doc: { q: `q${docId}`, choices: ["a", "b"], gold: 1 },
      target: 1,
      arguments: [[`Q: q${docId}\nA:`, " a"], [`Q: q${docId}\nA:`, " b"]],
      resps: [[[-2.5, false]], [[-0.5, true]]],
      filtered_resps: [[-2.5, false], [-0.5, true]],
      filter: "none",
      metrics: ["acc", "acc_norm", "brier_score"],
      acc,
      acc_norm: 1,
      brier_score: 0.25,
    });
    const folder = lmEvalFolder(
      { results: { quiz: { acc: 0.5, "acc_stderr,none": 0.5 } }, configs: { quiz: config }, higher_is_better: { quiz: { acc: true, acc_norm: true, brier_score: false } }, config: { model: "hf" } },
      { quiz: [line(0, 1), line(1, 0)] },
    );
    const { run, records, reported } = (await planImport([folder])).runs[0];
    expect(run.primary_metric).toBe("acc,none");
    expect(records[1]).toMatchObject({
      prompt: "Q: q1\nA:",
      response: "[[[-2.5,false]],[[-0.5,true]]]",
      extracted: "[[-2.5,false],[-0.5,true]]",
      target: "1",
      score: 0,
      scores: { "acc,none": 0, "acc_norm,none": 1, "brier_score,none": 0.25 },
      transcript: null,
    });
    expect(run.metrics!["brier_score,none"].higher_is_better).toBe(false);
    expect(run.metrics!["acc,none"].higher_is_better).toBe(true);
    expect(reported).toEqual({ acc: 0.5 });
    expect(run.model.name).toBe("hf");
  });

  it("scores the config's metrics when a line does not list them, and notes the ones whose values are not numbers", async () => {
    const config = { ...GEN_CONFIG, metric_list: [{ metric: "exact_match" }, { metric: "bleu" }], filter_list: undefined };
    const line = (docId: number) => ({ doc_id: docId, doc: { q: docId }, target: "x", arguments: { gen_args_0: { arg_0: "p" } }, resps: [["x"]], filtered_resps: ["x"], exact_match: 1, bleu: [["x"], ["x"]] });
    const { run, records } = (await planImport([lmEvalFolder(results({ configs: { arith: config }, "n-samples": undefined }), { arith: [line(0), line(1)] })])).runs[0];
    expect(run.primary_metric).toBe("exact_match,none");
    expect(records[0].scores).toEqual({ "exact_match,none": 1 });
    expect(records[0].transcript).toBeNull();
    expect(run.notes).toBe("Not imported: metrics bleu have per-question values that are not numbers (lm-eval aggregates them over the corpus).");
    const twoMetrics = { ...config, metric_list: [{ metric: "exact_match" }, { metric: "bleu" }, { metric: "chrf" }] };
    const textual = { ...line(0), chrf: [["x"], ["x"]] };
    const notes = (await planImport([lmEvalFolder(results({ configs: { arith: twoMetrics }, "n-samples": undefined }), { arith: [textual] })])).runs[0].run.notes;
    expect(notes).toBe("Not imported: metrics bleu, chrf have per-question values that are not numbers (lm-eval aggregates them over the corpus).");
  });

  it("names a group's subtask from its dataset_name, else from the task name, and gives BBH questions evalbench's ids and hashes", async () => {
    // lm-eval's target is doc_to_target(doc); evalbench's bbh hashes the dataset's own target, when the doc has one
    const bbhLine = (docId: number, doc: Json = { target: "(A)" }) => ({ doc_id: docId, doc: { input: `Is it sarcastic ${docId}?`, ...doc }, target: "A", arguments: { gen_args_0: { arg_0: "Q" } }, resps: [["(A)"]], filtered_resps: ["(A)"], filter: "get-answer", metrics: ["exact_match"], exact_match: 1 });
    const config = (name?: string) => ({ metric_list: [{ metric: "exact_match" }], filter_list: [{ name: "get-answer" }], dataset_name: name });
    const folder = lmEvalFolder(
      {
        results: {},
        group_subtasks: { bbh: ["bbh_cot_fewshot_snarks", "bbh_cot_fewshot_navigate"], bbh_cot_fewshot_snarks: ["bbh_cot_fewshot_snarks"] },
        configs: { bbh_cot_fewshot_snarks: config("snarks"), bbh_cot_fewshot_navigate: config() },
        config: { model: "hf" },
      },
      { bbh_cot_fewshot_snarks: [bbhLine(0), bbhLine(1)], bbh_cot_fewshot_navigate: [bbhLine(0, {}), bbhLine(1, { input: ["not", "text"] })] },
    );
    const { runs } = await planImport([folder]);
    const byVariant = Object.fromEntries(runs.map((r) => [r.run.task.variant!, r]));
    expect(byVariant.bbh_cot_fewshot_snarks.run.task.name).toBe("bbh");
    expect(byVariant.bbh_cot_fewshot_snarks.records.map((r) => [r.task, r.subtask, r.instance_id])).toEqual([["bbh", "snarks", "snarks-0"], ["bbh", "snarks", "snarks-1"]]);
    expect(byVariant.bbh_cot_fewshot_snarks.records[1].instance_hash).toBe(instanceHash({ input: "Is it sarcastic 1?" }, "(A)"));
    const [navigate, notText] = byVariant.bbh_cot_fewshot_navigate.records;
    expect(navigate).toMatchObject({ subtask: "cot_fewshot_navigate", instance_id: "cot_fewshot_navigate-0", instance_hash: instanceHash({ input: "Is it sarcastic 0?" }, "A") });
    // a doc whose input is not text keeps lm-eval's doc_id and the whole doc's hash
    expect(notText).toMatchObject({ instance_id: "1", instance_hash: instanceHash({ input: ["not", "text"] }, "A") });
  });

  it("reads odd shapes of a line's fields: no arguments, flat responses, a number left by a filter, a line without a filter", async () => {
    const config = { ...GEN_CONFIG, filter_list: undefined };
    const base = { doc: { q: 1 }, target: "x", exact_match: 1 };
    const lines = [
      { ...base, doc_id: 0, resps: ["flat"], filtered_resps: [5] },
      { ...base, doc_id: 1, arguments: {}, filtered_resps: ["7"] },
      // two lines of one doc: the one without a filter is the primary ("none") line, wherever it is
      { ...base, doc_id: 2, arguments: { gen_args_0: "raw" }, filter: "other", filtered_resps: ["other answer"] },
      { ...base, doc_id: 2, filtered_resps: ["primary answer"] },
    ];
    const { records } = (await planImport([lmEvalFolder(results({ configs: { arith: config }, "n-samples": undefined }), { arith: lines })])).runs[0];
    expect(records.map((r) => [r.prompt, r.response, r.extracted])).toEqual([
      [null, '["flat"]', "[5]"],
      [null, null, "7"],
      [null, null, "primary answer"],
    ]);
    expect(records[2].transcript).toEqual([
      { type: "filter", filter: "other", filtered_resps: ["other answer"] },
      { type: "filter", filter: "none", filtered_resps: ["primary answer"] },
    ]);
  });

  it("stops following a cycle of groups (a damaged results file) after 16 hops, and ignores groups whose subtasks are not a list", async () => {
    const config = { metric_list: [{ metric: "acc" }] };
    const line = { doc_id: 0, doc: { q: 1 }, target: 1, acc: 1 };
    const folder = lmEvalFolder({ results: {}, group_subtasks: { a: ["b"], b: ["a"], c: null, d: 5 }, configs: { a: config }, config: {} }, { a: [line] });
    expect((await planImport([folder])).runs[0].run.task).toMatchObject({ name: "a", variant: null });
  });

  it("keeps lm-eval's doc_id as the id of a task named bbh itself", async () => {
    const line = { doc_id: 4, doc: { input: "x" }, target: "A", exact_match: 1 };
    const folder = lmEvalFolder({ results: {}, configs: { bbh: { metric_list: [{ metric: "exact_match" }] } }, config: {} }, { bbh: [line] });
    expect((await planImport([folder])).runs[0].records[0]).toMatchObject({ task: "bbh", subtask: null, instance_id: "4" });
  });

  it("follows nested groups to the outermost, and keeps doc_id ids and whole-doc hashes outside BBH", async () => {
    // metrics named as plain strings, filters without a name
    const config = { metric_list: ["acc"], filter_list: [{ filter: [] }, null], dataset_name: "physics" };
    const line = { doc_id: 3, doc: { input: "text", answer: 2 }, target: 2, arguments: [["ctx", " x"]], resps: [[[-1, true]]], filtered_resps: [[-1, true]], acc: 1 };
    const folder = lmEvalFolder(
      { results: {}, group_subtasks: { mmlu: ["mmlu_stem"], mmlu_stem: ["mmlu_physics"], mmlu_physics: [] }, configs: { mmlu_physics: config }, config: {} },
      { mmlu_physics: [line] },
    );
    const { run, records } = (await planImport([folder])).runs[0];
    expect(run.task).toMatchObject({ name: "mmlu", variant: "mmlu_physics" });
    expect(records[0]).toMatchObject({ task: "mmlu", subtask: "physics", instance_id: "3", instance_hash: instanceHash({ input: "text", answer: 2 }, 2), score: 1 });
    expect(run.primary_metric).toBe("acc,none");
  });

  it("hashes the task by its scoring config and version, not by the model named in its metadata", async () => {
    const hash = async (config: Json) => (await planImport([lmEvalFolder(results({ configs: { arith: config } }), { arith: ARITH_LINES })])).runs[0].run.task.hash;
    const base = await hash(GEN_CONFIG);
    const { metadata, ...scoring } = GEN_CONFIG;
    expect(base).toBe(contentHash({ tool: "lm-eval", config: scoring, version: metadata.version }));
    expect(await hash({ ...GEN_CONFIG, metadata: { version: 3.0, pretrained: "org/another" } })).toBe(base);
    expect(await hash({ ...GEN_CONFIG, metadata: { version: 4.0 } })).not.toBe(base);
    expect(await hash({ ...GEN_CONFIG, num_fewshot: 8 })).not.toBe(base);
  });

  it("reads two tasks of one run against the same results file", async () => {
    const quiz = { ...GEN_CONFIG, task: "quiz" };
    const folder = lmEvalFolder(results({ configs: { arith: GEN_CONFIG, quiz }, "n-samples": {} }), { arith: ARITH_LINES, quiz: ARITH_LINES.slice(0, 2) });
    const { runs } = await planImport([folder]);
    expect(runs.map((r) => [r.run.task.name, r.records.length])).toEqual([["arith", 2], ["quiz", 1]]);
  });
});

describe("lm-eval-harness import: bad hand-made outputs", () => {
  it("names a line without an integer doc_id, and skips it with --skip-bad-rows", async () => {
    const lines = [...ARITH_LINES, genLine(2.5 as number, "strict-match", "5", 1), { ...genLine(0, "strict-match", "0", 1), doc_id: "7" }];
    const folder = lmEvalFolder(results(), { arith: lines });
    await expect(planImport([folder])).rejects.toThrow(/^samples_arith_2026-01-02T03-04-05\.678901\.jsonl line 5: has no integer doc_id; fix the source/);
    const { runs, skipped } = await planImport([folder], { skipBadRows: true });
    expect(runs[0].records).toHaveLength(2);
    expect(skipped.map((s) => s.where)).toEqual(["line 5", "line 6"]);
  });

  it("refuses a samples file with fewer docs than the results report, unless rows were skipped", async () => {
    const folder = lmEvalFolder(results(), { arith: ARITH_LINES.slice(0, 2) });
    await expect(planImport([folder])).rejects.toThrow(
      /^samples_arith_\S+\.jsonl has 1 docs but results_\S+\.json reports 2 for arith: the samples file looks truncated; import the complete file$/,
    );
    const skippedOne = lmEvalFolder(results(), { arith: [...ARITH_LINES.slice(0, 2), "{not json"] });
    expect((await planImport([skippedOne], { skipBadRows: true })).runs[0].records).toHaveLength(1);
  });

  it("refuses a results file without the task's config or metrics, or that is not an object, naming it", async () => {
    await expect(planImport([lmEvalFolder(results({ configs: undefined }), { arith: ARITH_LINES })])).rejects.toThrow(/has no config for task arith/);
    await expect(planImport([lmEvalFolder(results({ configs: {} }), { arith: ARITH_LINES })])).rejects.toThrow(
      /^results_\S+\.json has no config for task arith \(from samples_arith_\S+\.jsonl\); use the results file written by the same lm-eval run$/,
    );
    await expect(planImport([lmEvalFolder(results({ configs: { arith: { ...GEN_CONFIG, metric_list: [] } } }), { arith: ARITH_LINES })])).rejects.toThrow(
      /^results_\S+\.json: task arith lists no metrics in configs\.arith\.metric_list$/,
    );
    await expect(planImport([lmEvalFolder(results({ configs: { arith: { ...GEN_CONFIG, metric_list: undefined } } }), { arith: ARITH_LINES })])).rejects.toThrow(/task arith lists no metrics/);
    const dir = lmEvalFolder({}, { arith: ARITH_LINES });
    fs.writeFileSync(path.join(dir, `results_${TIME}.json`), "[1]");
    await expect(planImport([dir])).rejects.toThrow(/^results_\S+\.json is not a JSON object$/);
  });

  it("refuses a results file alone, naming what to run", async () => {
    const dir = lmEvalFolder(results(), {});
    await expect(planImport([path.join(dir, `results_${TIME}.json`)])).rejects.toThrow(
      /^no lm-eval samples_<task>_<time>\.jsonl among results_\S+\.json; run lm-eval with --log_samples and import its output folder$/,
    );
    const later = path.join(dir, "results_2026-02-02T03-04-05.json");
    fs.copyFileSync(path.join(dir, `results_${TIME}.json`), later);
    await expect(planImport([path.join(dir, `results_${TIME}.json`), later], { format: "lm-eval" })).rejects.toThrow(`among results_${TIME}.json, results_2026-02-02T03-04-05.json;`);
  });

  it("recognises lm-eval's file names only", async () => {
    for (const name of [`samples_arith_${TIME}.jsonl`, `results_${TIME}.json`, "samples_a_b_2026-01-02T03-04-05.jsonl"]) expect(isLmEvalFile(`/x/${name}`)).toBe(true);
    for (const name of [`samples_arith_${TIME}.json`, `results_${TIME}.jsonl`, `xsamples_arith_${TIME}.jsonl`, `results_${TIME}.json.bak`, "samples__2026-01-02T03.jsonl", "results_2026-01-02.json", `samples_arith_${TIME}x.jsonl`]) {
      expect(isLmEvalFile(`/x/${name}`)).toBe(false);
    }
  });
});
