import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { instanceHash } from "@/lib/schema/hash";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { importPaths, planImport } from "./index";
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
