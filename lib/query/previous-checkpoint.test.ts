import { describe, expect, it } from "vitest";
import { RunManifest } from "@/lib/schema";
import { summarize } from "@/lib/catalog/summary";
import { newKey } from "@/lib/catalog/entries";
import type { ListedRun } from "@/lib/catalog/list";
import { previousCheckpoints } from "./previous-checkpoint";

let clock = 0;
function entry(runId: string, model: string, task: string, checkpoint: string | null, step: number | null, status: "complete" | "running" = "complete"): ListedRun {
  clock += 1;
  const manifest = RunManifest.parse({
    schema_version: 1, run_id: runId, status, created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, clock)).toISOString(), updated_at: "2026-01-01T00:00:00Z",
    model: { name: model, checkpoint, step }, task: { name: task, hash: "h" }, harness: { name: "default" }, seed: 1,
    counts: { planned: 1, done: 1, errored: 0 }, primary_metric: "exact_match", source: { kind: "run" },
  });
  return { run_id: runId, key: newKey(), status, summary: summarize(manifest), manifest: null, problem: null, manifest_bytes: null };
}

describe("the previous checkpoint of a run", () => {
  it("is the same model and task at the nearest lower step, whatever order the runs were made in", () => {
    const entries = [entry("s3", "olmo", "gsm8k", "step-3", 3000), entry("s1", "olmo", "gsm8k", "step-1", 1000), entry("s2", "olmo", "gsm8k", "step-2", 2000), entry("other-task", "olmo", "arc", "step-1", 1000), entry("other-model", "llama", "gsm8k", "step-1", 1000)];
    expect(Object.fromEntries(previousCheckpoints(entries))).toEqual({ s2: "s1", s3: "s2" });
  });

  it("skips unfinished runs and re-runs of the same checkpoint; without steps, creation order decides", () => {
    const entries = [entry("a", "m", "t", "c1", null), entry("b-running", "m", "t", "c2", null, "running"), entry("c", "m", "t", "c2", null), entry("c-r2", "m", "t", "c2", null)];
    expect(Object.fromEntries(previousCheckpoints(entries))).toEqual({ c: "a", "c-r2": "a" });
  });
});
