import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { resolveHarness } from "@/lib/runner/harness";
import { planTask, type TaskPlan } from "@/lib/runner/plan";
import { openaiClient, OpenAICompatibleProvider } from "@/lib/runner/providers/openai";
import { resolveTask } from "@/lib/runner/registry";
import { runTask } from "@/lib/runner/run";
import "@/lib/runner/tasks";
import { simQuestions } from "@/lib/sim/from-plan";
import { startSim } from "@/lib/sim/server";
import { runDir } from "@/lib/workspace/paths";
import { writeDemoData } from "./data";

/** A series of checkpoints of one model; the chance of answering a question right rises with the step. */
const CHECKPOINTS = [
  { step: 10000, accuracy: 0.45 },
  { step: 20000, accuracy: 0.53 },
  { step: 30000, accuracy: 0.57 },
  { step: 40000, accuracy: 0.6 },
] as const;

const MODEL = "demo-lm-1b";
/** Share of requests the simulator fails (HTTP 500); with retries off they stay errored questions. */
const FAULT_RATE = 0.005;

export interface DemoOptions {
  /** Questions per task. */
  size?: number;
  seed?: number;
}

export interface DemoResult {
  written: string[];
  skipped: string[];
}

const simName = (step: number) => `${MODEL}-step${step}`;

/**
 * Fills a workspace with demo runs made by the real runner: the built-in gsm8k, mmlu (six subjects
 * as subtasks) and squad (questions clustered by passage) tasks, on synthetic data files in their
 * own layouts, asked of an in-process simulated endpoint serving four checkpoints whose true
 * accuracies are known and stated in each manifest; a few requests fail and stay errored. Runs
 * already present are left as they are.
 */
export async function writeDemoWorkspace(workspace: string, { size = 1000, seed = 2024 }: DemoOptions = {}): Promise<DemoResult> {
  if (!Number.isInteger(size) || size < 1) throw new Error(`demo size must be a whole number of questions per task (got ${size})`);
  const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), "evalbench-demo-"));
  const result: DemoResult = { written: [], skipped: [] };
  try {
    const data = writeDemoData(dataRoot, size, seed);
    const harness = resolveHarness("default", null, ["concurrency=64", "max_retries=0", "cache=false"]);
    const tasks: [string, string, string[]][] = [
      ["gsm8k", data.gsm8k, []],
      ["mmlu", data.mmlu, ["fewshot.n=0"]],
      ["squad", data.squad, []],
    ];
    const plans: TaskPlan[] = [];
    for (const [spec, dir, overrides] of tasks) plans.push(await planTask(resolveTask(spec, overrides), harness.config, { data: dir, cacheDir: path.join(dataRoot, "cache"), limit: null }));
    // The simulator knows the planned questions' answers; each checkpoint gets them right at its rate.
    const knowing = await startSim({ checkpoints: CHECKPOINTS.map((c) => ({ name: simName(c.step), accuracy: c.accuracy })), seed, faultRate: FAULT_RATE, faultKinds: ["500"], questions: simQuestions(plans) });
    try {
      const client = openaiClient({ baseURL: knowing.url, apiKey: null, timeoutMs: 30_000 });
      for (const plan of plans) {
        for (const checkpoint of CHECKPOINTS) {
          const runId = `demo-${plan.task.name}-step${checkpoint.step}`;
          if (fs.existsSync(runDir(workspace, runId))) {
            result.skipped.push(runId);
            continue;
          }
          await runTask({
            workspace,
            plan,
            harness,
            provider: new OpenAICompatibleProvider(client, simName(checkpoint.step), knowing.url),
            model: { name: MODEL, checkpoint: `step-${checkpoint.step}`, step: checkpoint.step, provider: "demo", endpoint: null },
            suite: null,
            seed,
            resume: false,
            signal: new AbortController().signal,
            runId,
            tags: ["demo"],
            experiment: "demo",
            sourceKind: "demo",
            notes: `DEMO DATA: simulated answers, not a real model. True accuracy of this checkpoint on these questions: ${(100 * checkpoint.accuracy).toFixed(2)}% (evalbench sim answers each question correctly with this probability, drawn per question from seed ${seed}).`,
          });
          result.written.push(runId);
        }
      }
    } finally {
      await knowing.close();
    }
  } finally {
    fs.rmSync(dataRoot, { recursive: true, force: true });
  }
  return result;
}
