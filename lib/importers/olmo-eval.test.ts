import { describe, expect, it } from "vitest";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { importPaths, planImport } from "./index";
import { FIXTURES } from "./testing";
import path from "node:path";

const DIR = path.join(FIXTURES, "olmo-eval");

describe("olmo-eval import (fixture in olmo-eval's predictions + metrics layout)", () => {
  it("makes one run per task whose metrics equal metrics.json, primary from task_config", async () => {
    const { created, reported } = await importPaths(tempWorkspace(), [DIR]);
    expect(created).toHaveLength(2);
    const arc = created.find((m) => m.task.name === "arc_challenge")!;
    expect(arc).toMatchObject({ primary_metric: "acc_uncond", task: { variant: "rc::olmes", hash: "4bd6f6b1c2a9e0e3f0b3" }, seed: 1234 });
    expect(arc.model).toMatchObject({ name: "allenai/OLMo-2-0425-1B", checkpoint: "stage1-step100000-tokens210B", provider: "hf" });
    for (const m of created) {
      for (const [metric, value] of Object.entries(reported[m.run_id])) expect(m.metrics[metric].value).toBeCloseTo(value, 12);
    }
    expect(Object.keys(arc.metrics).sort()).toEqual(["acc_per_char", "acc_per_token", "acc_raw", "acc_uncond"]);
  });

  it("keeps the native id, the label and a generation's continuation and answer", async () => {
    const { runs } = await planImport([path.join(DIR, "task-001-gsm8k-predictions.jsonl")]);
    expect(runs[0].records[1]).toMatchObject({ instance_id: "1", target: "3", extracted: "2", score: 0, response: " It takes 2 bolts of blue fiber. So the answer is 2." });
    const arc = (await planImport([path.join(DIR, "task-000-arc_challenge-predictions.jsonl")])).runs[0].records;
    expect(arc[0]).toMatchObject({ instance_id: "Mercury_7175875", target: "3", score: 1, scores: { acc_raw: 1, acc_per_char: 1, acc_per_token: 1, acc_uncond: 1 } });
  });

  it("reads predictions and metrics named together as one run, and a metrics file alone is still refused", async () => {
    const pair = ["task-001-gsm8k-predictions.jsonl", "task-001-gsm8k-metrics.json"].map((f) => path.join(DIR, f));
    const { runs, formats } = await planImport(pair);
    expect(formats).toEqual(["olmo-eval"]);
    expect(runs.map((r) => r.run.task.name)).toEqual(["gsm8k"]);
    await expect(planImport([pair[1]])).rejects.toThrow(/cannot tell the format of task-001-gsm8k-metrics\.json/);
    // a metrics file of another task is not a companion
    await expect(planImport([pair[0], path.join(DIR, "task-000-arc_challenge-metrics.json")])).rejects.toThrow(/cannot tell the format of task-000-arc_challenge-metrics\.json/);
  });
});
