import { describe, expect, it } from "vitest";
import { resolveHarness } from "./harness";
import { resolveTask } from "./registry";
import { expandSpecs } from "./suites";
import { taskNames } from "./registry";
import "./tasks";

describe("task specs and overrides", () => {
  it("resolves task:variant, and -o overrides any field", () => {
    const cot = resolveTask("gsm8k:cot", ["fewshot.n=4", "sampling.temperature=0.5", "template=Q: {question}"]);
    expect(cot.variant).toBe("cot");
    expect(cot.config.format).toBe("completion");
    expect(cot.config.fewshot.n).toBe(4);
    expect(cot.config.sampling.temperature).toBe(0.5);
    expect(cot.config.template).toBe("Q: {question}");
    expect(resolveTask("arc_challenge:rc").config.formulation).toBe("rc");
  });

  it("hashes the scoring config: an override changes the hash, the description does not", () => {
    const base = resolveTask("gsm8k");
    expect(resolveTask("gsm8k", ["description=other words"]).hash).toBe(base.hash);
    expect(resolveTask("gsm8k", ["fewshot.n=1"]).hash).not.toBe(base.hash);
  });

  it("names an unknown task, variant or key, and suggests close names", () => {
    expect(() => resolveTask("gsm8")).toThrow(/unknown task gsm8 \(did you mean gsm8k/);
    expect(() => resolveTask("arc_challenge:rcc")).toThrow(/has no variant rcc \(did you mean rc/);
    expect(() => expandSpecs(["hellaswg"], taskNames())).toThrow(/unknown task or suite hellaswg \(did you mean hellaswag/);
    expect(() => resolveTask("gsm8k", ["fewshot.nn=3"])).toThrow(/unknown task key "fewshot.nn" \(did you mean fewshot.n.*valid keys: .*sampling.temperature/);
    expect(() => resolveTask("gsm8k", ["fewshot.n=-1"])).toThrow(/fewshot.n: .*>=0/);
    expect(() => resolveTask("gsm8k", ["sampling.temperature=hot"])).toThrow(/sampling.temperature: .*expected number/);
    expect(() => resolveTask("gsm8k", ["nonsense"])).toThrow(/is not key=value/);
    expect(() => resolveTask("gsm8k", ["formulation=rc"])).toThrow(/use format=completion/);
  });

  it("an override naming a split, subtask or dataset takes a plain name, never a path", () => {
    const paths = ["../../../etc/passwd", "/etc/passwd", "sub/../../x", "..", "a\\b", "train/x"];
    for (const key of ["fewshot.split", "data.split", "data.hub_config"]) {
      for (const value of paths) expect(() => resolveTask("gsm8k", [`${key}=${value}`]), `${key}=${value}`).toThrow(new RegExp(`${key.replace(".", "\\.")}: a plain name .*not a path`));
    }
    expect(() => resolveTask("mmlu", ['data.subtasks=["../../secret"]'])).toThrow(/data\.subtasks\.0: a plain name/);
    for (const hub of ["../cache/x", "/abs/x", "owner/name/../../x", "justname"]) expect(() => resolveTask("gsm8k", [`data.hub=${hub}`]), hub).toThrow(/data\.hub: a Hugging Face dataset as owner\/name/);
    expect(resolveTask("gsm8k", ["fewshot.split=train-v2.1", "data.hub=me/my_gsm8k", "data.hub_config=main"]).config.fewshot.split).toBe("train-v2.1");
    for (const name of taskNames()) expect(() => resolveTask(name), name).not.toThrow();
  });

  it("keeps the harness apart: presets, overrides, and an unknown preset named", () => {
    expect(resolveHarness("assistant", null).config.system_prompt).toMatch(/helpful/);
    expect(resolveHarness("default", null, ["concurrency=4"]).config.concurrency).toBe(4);
    expect(() => resolveHarness("defualt", null)).toThrow(/unknown harness defualt \(did you mean default/);
    expect(() => resolveHarness("default", null, ["concurency=4"])).toThrow(/unknown harness key "concurency"/);
  });

  it("expands a suite into its tasks", () => {
    expect(expandSpecs(["olmes_rc"], taskNames()).map((s) => s.spec)).toEqual(["arc_easy:rc", "arc_challenge:rc", "hellaswag", "mmlu:rc"]);
  });
});
