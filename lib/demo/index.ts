import fs from "node:fs";
import { contentHash } from "@/lib/schema/hash";
import { mulberry32 } from "@/lib/stats/rng";
import { runDir } from "@/lib/workspace/paths";
import { RunWriter } from "@/lib/workspace/run-writer";
import { DEMO_TASKS, type DemoQuestion, type DemoTask } from "./questions";

/** A series of checkpoints of one model; ability rises with training step (logit scale). */
const CHECKPOINTS = [
  { step: 10000, ability: 0.0 },
  { step: 20000, ability: 0.35 },
  { step: 30000, ability: 0.5 },
  { step: 40000, ability: 0.62 },
] as const;

const MODEL = "demo-lm-1b";
const ERROR_RATE = 0.005;
/** Share of questions whose luck is the same at every checkpoint: real checkpoints are correlated. */
const SHARED_LUCK = 0.8;

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

export interface DemoOptions {
  /** Questions per task. */
  size?: number;
  seed?: number;
}

export interface DemoResult {
  written: string[];
  skipped: string[];
}

/** P(correct) of a checkpoint on a question; the mean over questions is the true accuracy. */
const pCorrect = (ability: number, q: DemoQuestion) => sigmoid(1 + ability - q.difficulty);

function writeRun(workspace: string, task: DemoTask, questions: DemoQuestion[], luck: number[], checkpoint: (typeof CHECKPOINTS)[number], seed: number): string {
  const runId = `demo-${task.name}-step${checkpoint.step}`;
  const trueAccuracy = questions.reduce((sum, q) => sum + pCorrect(checkpoint.ability, q), 0) / questions.length;
  const writer = RunWriter.create(workspace, {
    run_id: runId,
    model: { name: MODEL, checkpoint: `step-${checkpoint.step}`, step: checkpoint.step, provider: "demo" },
    task: { name: task.name, hash: contentHash({ task: task.name, description: task.description }), config: { description: task.description } },
    harness: { name: "demo", config: {} },
    experiment: "demo",
    tags: ["demo"],
    seed,
    counts: { planned: questions.length },
    primary_metric: "exact_match",
    metrics: task.extraScores ? { f1: { value: null, se: null, ci: null, n: 0, higher_is_better: true } } : {},
    source: { kind: "demo" },
    notes: `DEMO DATA: simulated answers, not a real model. True accuracy of this checkpoint on these questions: ${(100 * trueAccuracy).toFixed(2)}%.`,
  });
  const rand = mulberry32(seed ^ checkpoint.step);
  const started = Date.parse("2026-01-01T00:00:00Z") + checkpoint.step * 1000;
  questions.forEach((q, i) => {
    const own = rand();
    const u = rand() < SHARED_LUCK ? luck[i] : own;
    const correct = u < pCorrect(checkpoint.ability, q);
    const base = {
      task: q.task,
      subtask: q.subtask,
      instance_id: q.instanceId,
      instance_hash: q.instanceHash,
      cluster_id: q.clusterId,
      prompt: q.prompt,
      target: q.target,
      input_tokens: Math.ceil(q.prompt.length / 4),
      started_at: new Date(started + i * 250).toISOString(),
    };
    if (rand() < ERROR_RATE) {
      writer.append({ ...base, error: "HTTP 503 from the endpoint after 3 retries (simulated)" });
      return;
    }
    const response = task.response(q, correct);
    const score = correct ? 1 : 0;
    writer.append({
      ...base,
      response,
      extracted: task.extract(response),
      score,
      scores: { exact_match: score, ...task.extraScores?.(q, correct, rand) },
      output_tokens: Math.ceil(response.length / 4),
      latency_ms: Math.round(180 + response.length * 6 + rand() * 120),
    });
  });
  writer.finalize();
  return runId;
}

/**
 * Fills a workspace with demo runs through the real writer: three tasks (one with subtasks, one
 * with clustered questions) at four checkpoints whose true accuracies are known and stated in
 * each manifest, with a few errored questions. Runs already present are left as they are.
 */
export function writeDemoWorkspace(workspace: string, { size = 1000, seed = 2024 }: DemoOptions = {}): DemoResult {
  if (!Number.isInteger(size) || size < 1) throw new Error(`demo size must be a whole number of questions per task (got ${size})`);
  const result: DemoResult = { written: [], skipped: [] };
  DEMO_TASKS.forEach((task, t) => {
    const rand = mulberry32(seed + t);
    const questions = task.questions(size, rand);
    const luck = questions.map(() => rand());
    for (const checkpoint of CHECKPOINTS) {
      const runId = `demo-${task.name}-step${checkpoint.step}`;
      if (fs.existsSync(runDir(workspace, runId))) result.skipped.push(runId);
      else result.written.push(writeRun(workspace, task, questions, luck, checkpoint, seed + t));
    }
  });
  return result;
}
