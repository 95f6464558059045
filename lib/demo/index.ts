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
import { runExists } from "@/lib/workspace/store";
import { writeDemoData } from "./data";

/** Checkpoints of the demo's training runs. */
const STEPS = [5000, 10000, 15000, 20000, 25000, 30000, 35000, 40000] as const;
type DemoTask = "gsm8k" | "mmlu" | "squad";

/**
 * Two training runs of one model size: the baseline and an intervention (a new data mix). Each
 * has a true accuracy per task and step, stated in every run's notes: gsm8k is informative (the
 * intervention pulls ahead by up to 8 points), mmlu gains 3 points, and squad is a noisy
 * benchmark: the two lines do not differ in truth, and each wobbles by up to 2 points from one
 * checkpoint to the next (a low signal-to-noise ratio).
 */
const BASE = (step: number) => 0.62 - 0.3 * Math.exp(-step / 15000);
const LINES = [
  {
    model: "demo-lm-1b",
    runId: (task: DemoTask, step: number) => `demo-${task}-step${step}`,
    curve: "baseline: gsm8k 0.62 - 0.30 exp(-step/15000); mmlu that minus 0.05; squad 0.50 + 0.02 sin(step/3000)",
    accuracy: { gsm8k: BASE, mmlu: (step: number) => BASE(step) - 0.05, squad: (step: number) => 0.5 + 0.02 * Math.sin(step / 3000) },
  },
  {
    model: "demo-lm-1b-newmix",
    runId: (task: DemoTask, step: number) => `demo-newmix-${task}-step${step}`,
    curve: "intervention (new data mix): the baseline's curve plus 0.08 step/40000 on gsm8k and 0.03 step/40000 on mmlu; squad 0.50 + 0.02 sin(step/3000 + 2)",
    accuracy: {
      gsm8k: (step: number) => BASE(step) + (0.08 * step) / 40000,
      mmlu: (step: number) => BASE(step) - 0.05 + (0.03 * step) / 40000,
      squad: (step: number) => 0.5 + 0.02 * Math.sin(step / 3000 + 2),
    },
  },
] as const;

export interface DemoOptions {
  /** Questions per task. */
  size?: number;
  seed?: number;
}

export interface DemoResult {
  written: string[];
  skipped: string[];
}

/** Share of requests the simulator fails (HTTP 500); with retries off they stay errored questions. */
const FAULT_RATE = 0.005;

const simName = (model: string, task: string, step: number) => `${model}-${task}-step${step}`;
const CHECKPOINTS = LINES.flatMap((line) => STEPS.flatMap((step) => (Object.keys(line.accuracy) as DemoTask[]).map((task) => ({ line, task, step, accuracy: line.accuracy[task](step) }))));

/**
 * Fills a workspace with demo runs made by the real runner: the built-in gsm8k, mmlu (six subjects
 * as subtasks) and squad (questions clustered by passage) tasks, on synthetic data files in their
 * own layouts, asked of an in-process simulated endpoint serving two training runs of eight
 * checkpoints each, whose true accuracies are known and stated in each manifest; a few requests
 * fail and stay errored. Runs already present are left as they are. A bucket workspace gets them
 * as `run` writes there.
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
    const knowing = await startSim({ checkpoints: CHECKPOINTS.map((c) => ({ name: simName(c.line.model, c.task, c.step), accuracy: c.accuracy })), seed, faultRate: FAULT_RATE, faultKinds: ["500"], questions: simQuestions(plans) });
    try {
      const client = openaiClient({ baseURL: knowing.url, apiKey: null, timeoutMs: 30_000 });
      for (const plan of plans) {
        for (const { line, task, step, accuracy } of CHECKPOINTS.filter((c) => c.task === plan.task.name)) {
          const runId = line.runId(task, step);
          if (await runExists(workspace, runId)) {
            result.skipped.push(runId);
            continue;
          }
          await runTask({
            workspace,
            plan,
            harness,
            provider: new OpenAICompatibleProvider(client, simName(line.model, task, step), knowing.url),
            model: { name: line.model, checkpoint: `step-${step}`, step, provider: "demo", endpoint: null },
            suite: null,
            seed,
            resume: false,
            signal: new AbortController().signal,
            runId,
            tags: ["demo"],
            experiment: "demo",
            sourceKind: "demo",
            notes: `DEMO DATA: simulated answers, not a real model. True accuracy of this checkpoint on these questions: ${(100 * accuracy).toFixed(2)}% (evalbench sim answers each question correctly with this probability, drawn per question from seed ${seed}). The true curve of this training run, ${line.curve}.`,
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
