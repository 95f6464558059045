import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { recordRunState } from "@/lib/catalog/record";
import { parseManifest, type QuestionRecordInput } from "@/lib/schema";
import { COMPARE_FILE, MANIFEST_FILE, runDir } from "../paths";
import type { NewRun } from "../run-writer";

/** A fresh empty folder under the OS temp dir. */
export function tempWorkspace(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "evalbench-ws-"));
}

export function newRun(overrides: Partial<NewRun> = {}): NewRun {
  return {
    run_id: "gsm8k-tiny-step100",
    model: { name: "tiny", checkpoint: "step100", step: 100 },
    task: { name: "gsm8k", hash: "task-hash-1" },
    harness: { name: "default" },
    seed: 1,
    primary_metric: "exact_match",
    source: { kind: "run" },
    ...overrides,
  };
}

export function record(i: number, overrides: Partial<QuestionRecordInput> = {}): Omit<QuestionRecordInput, "run_id"> {
  return {
    task: "gsm8k",
    instance_id: `q${String(i).padStart(5, "0")}`,
    instance_hash: `h${i}`,
    prompt: `Question ${i}?`,
    response: `The answer is ${i}.`,
    extracted: String(i),
    target: String(i),
    score: i % 2,
    scores: { exact_match: i % 2 },
    ...overrides,
  };
}

/** Makes a finalized run look written before compare.parquet existed: readers fall back to its records.parquet. */
export function forgetCompareFile(workspace: string, runId: string): void {
  const dir = runDir(workspace, runId);
  fs.rmSync(path.join(dir, COMPARE_FILE));
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), "utf8"));
  const forgotten = { ...manifest, records: { ...manifest.records, compare: null } };
  const text = JSON.stringify(forgotten);
  fs.writeFileSync(path.join(dir, MANIFEST_FILE), text);
  // as a writer would: the catalog learns the new run.json
  recordRunState(workspace, parseManifest(forgotten), text);
}
