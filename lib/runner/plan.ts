import path from "node:path";
import { instanceHash } from "@/lib/schema/hash";
import { loadSplit, type LoadedSplit } from "./data/load";
import { DataFileError, type MalformedRow } from "./data/read-rows";
import { selectShots } from "./formats/fewshot";
import { continuations, render, renderedText, type Rendered } from "./formats/render";
import type { HarnessConfig } from "./harness";
import type { ResolvedTask } from "./registry";
import { LETTERS } from "./formats/template";
import type { Question, TaskConfig } from "./task";

/** The target as the formulation scores it: the gold letter (mc) or the gold choice's text (rc). */
function asFormulation(config: TaskConfig, question: Question): Question {
  if (question.gold === undefined || !question.choices) return question;
  if (config.formulation === "mc") return { ...question, target: LETTERS[question.gold] };
  if (config.formulation === "rc") return { ...question, target: question.choices[question.gold] };
  return question;
}

export interface PlannedQuestion {
  question: Question;
  instanceHash: string;
  rendered: Rendered;
  /** The prompt as one text, for the record. */
  prompt: string;
  /** For rc: the continuation of each choice. */
  continuations: string[] | null;
}

export interface TaskPlan {
  task: ResolvedTask;
  questions: PlannedQuestion[];
  samples: number;
  /** Questions x samples: the run's planned records. */
  planned: number;
  malformed: MalformedRow[];
  notes: string[];
}

export interface PlanOptions {
  /** `--data`: local file or folder or URL; null = the hub dataset. */
  data: string | null;
  /** Workspace cache folder; downloads go to its `data` subfolder. */
  cacheDir: string;
  /** At most this many questions per subtask (per task without subtasks), in data order. */
  limit: number | null;
}

/** The questions of the few-shot split, or null when the task takes no shots. */
async function fewshotPool(task: ResolvedTask, evalSplit: LoadedSplit, options: PlanOptions): Promise<LoadedSplit | null> {
  const { fewshot, data } = task.config;
  if (fewshot.n === 0) return null;
  if (fewshot.split === data.split) return evalSplit;
  try {
    return await loadSplit(task.definition, task.config, fewshot.split, { data: options.data, cacheDir: path.join(options.cacheDir, "data") }, [...evalSplit.bySubtask.keys()]);
  } catch (error) {
    if (!(error instanceof DataFileError)) throw error;
    throw new DataFileError(`${error.message}; the few-shot split ${fewshot.split} is needed for ${fewshot.n}-shot prompts: add it, or run zero-shot with -o fewshot.n=0`);
  }
}

/**
 * The deterministic plan of a task: its questions (limited per subtask, in data order), each with
 * its rendered prompt; few-shot exemplars come from a seeded selection of the few-shot split.
 */
export async function planTask(task: ResolvedTask, harness: HarnessConfig, options: PlanOptions): Promise<TaskPlan> {
  const { config } = task;
  const dataOptions = { data: options.data, cacheDir: path.join(options.cacheDir, "data") };
  const evalSplit = await loadSplit(task.definition, config, config.data.split, dataOptions);
  const pool = await fewshotPool(task, evalSplit, options);
  const questions: PlannedQuestion[] = [];
  for (const [subtask, all] of evalSplit.bySubtask) {
    const chosen = (options.limit === null ? all : all.slice(0, options.limit)).map((q) => asFormulation(config, q));
    const shotPool = (pool?.bySubtask.get(subtask) ?? []).map((q) => asFormulation(config, q));
    if (pool && shotPool.length < config.fewshot.n + (pool === evalSplit ? 1 : 0)) {
      throw new DataFileError(`${task.spec}${subtask ? `/${subtask}` : ""}: the few-shot split ${config.fewshot.split} has ${shotPool.length} questions, fewer than fewshot.n=${config.fewshot.n}`);
    }
    const shared = pool && pool !== evalSplit ? selectShots(shotPool, config.fewshot.n, config.fewshot.seed) : null;
    for (const question of chosen) {
      const shots = shared ?? (pool ? selectShots(shotPool, config.fewshot.n, config.fewshot.seed, question.id) : []);
      const rendered = render(config, question, shots, harness.system_prompt);
      questions.push({
        question,
        instanceHash: instanceHash(question.input, question.gold ?? question.target),
        rendered,
        prompt: renderedText(rendered),
        continuations: config.formulation === "rc" ? continuations(config, question) : null,
      });
    }
  }
  const notes = [...evalSplit.notes, ...(pool && pool !== evalSplit ? pool.notes : [])];
  const malformed = [...evalSplit.malformed, ...(pool && pool !== evalSplit ? pool.malformed : [])];
  const samples = config.formulation === "generate" ? config.sampling.samples : 1;
  return { task, questions, samples, planned: questions.length * samples, malformed, notes };
}
