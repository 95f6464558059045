import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { importPaths, planImport } from "./index";
import { shared } from "./testing";

const DIR = shared("humaneval-evalplus-open-code-models");
const file = (model: string, temperature: string) => path.join(DIR, fs.readdirSync(DIR).find((f) => f.includes(`model_eq_${model}_`) && f.includes(`temperature_eq_${temperature}_`))!);

/** PROVENANCE.md's pass@1 counts (of 164): base tests, and the plus tests on their own. */
const PROVENANCE: [string, string, number, number][] = [
  ["CodeLlama_7b_Python", "0p01", 60, 53],
  ["CodeLlama_7b_Python", "0p7", 54, 49],
  ["CodeLlama_13b_Python", "0p01", 77, 65],
  ["CodeLlama_13b_Python", "0p7", 63, 55],
  ["codellama_CodeLlama_34b_Python_hf", "0p2", 93, 79],
  ["Phind_Phind_CodeLlama_34B_v2", "0p1", 123, 115],
  ["WizardLM_WizardCoder_Python_34B_V1p0", "0p2", 114, 101],
  ["claude_2", "0p7", 107, 91],
  ["gpt_4_0613", "0p7", 136, 123],
];

/** Problems whose sample passed the base tests, and those passing the plus tests, counted from the file. */
function counts(results: string): { base: number; plusAlone: number; both: number } {
  const evals = Object.values(JSON.parse(fs.readFileSync(results, "utf8")).eval) as { base: [string][]; plus: [string][] }[];
  const ok = (s: [string][]) => s[0][0] === "success";
  return { base: evals.filter((e) => ok(e.base)).length, plusAlone: evals.filter((e) => ok(e.plus)).length, both: evals.filter((e) => ok(e.base) && ok(e.plus)).length };
}

describe("EvalPlus import", () => {
  it("scores base as PROVENANCE.md counts it, and plus as EvalPlus does: base and plus tests both pass", async () => {
    const ws = tempWorkspace();
    for (const [model, temperature, base, plusAlone] of PROVENANCE) {
      const results = file(model, temperature);
      const { created } = await importPaths(ws, [results]);
      const [m] = created;
      expect(m.counts.done).toBe(164);
      expect(m.primary_metric).toBe("base");
      expect(m.metrics.base.value! * 164).toBeCloseTo(base, 9);
      const counted = counts(results);
      expect(counted.plusAlone).toBe(plusAlone);
      expect(m.metrics.plus.value! * 164).toBeCloseTo(counted.both, 9);
      expect(m.model.name).toBe(model);
      expect(m.harness.config.temperature).toBe(temperature.replace("p", "."));
    }
  });

  it("takes prompts and reference solutions from a HumanEval file, without changing the question hash", async () => {
    const results = file("claude_2", "0p7");
    const plain = (await planImport([results])).runs[0].records;
    const withPrompts = (await planImport([results], { humaneval: shared("humaneval", "HumanEval.jsonl.gz") })).runs[0].records;
    const first = withPrompts.find((r) => r.instance_id === "HumanEval/0")!;
    expect(first.prompt).toMatch(/def has_close_elements/);
    expect(first.target).toBeTruthy();
    expect(first.task).toBe("humaneval");
    expect(withPrompts.map((r) => r.instance_hash)).toEqual(plain.map((r) => r.instance_hash));
  });

  it("asks for --model-name when the file name does not record the model", async () => {
    const dir = tempWorkspace();
    fs.copyFileSync(file("claude_2", "0p7"), path.join(dir, "eval_results.json"));
    await expect(planImport([path.join(dir, "eval_results.json")])).rejects.toThrow(/eval_results\.json does not record the model; name it with --model-name/);
    const { runs } = await planImport([path.join(dir, "eval_results.json")], { modelName: "claude-2" });
    expect(runs[0].run.model.name).toBe("claude-2");
  });
});
