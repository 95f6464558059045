import { z } from "zod";
import type { NeedsInput } from "@/lib/sandbox/capabilities";

/** How a question is put to the model and judged (OLMES terms). */
export const Formulation = z.enum(["generate", "mc", "rc"]);
export type Formulation = z.infer<typeof Formulation>;

export const PromptFormat = z.enum(["chat", "completion"]);

/** How the answer is pulled out of a generated response before exact match. */
export const Extractor = z.enum(["number", "letter", "answer_phrase", "code_block", "text"]);
export type Extractor = z.infer<typeof Extractor>;

export const MetricName = z.enum(["exact_match", "f1", "pass_at_1", "pass_at_k", "judge", "acc_raw", "acc_per_char", "acc_per_token", "acc_uncond", "bpb"]);
export type MetricName = z.infer<typeof MetricName>;

/** Direction of every metric: the manifest declares it, compare and the UI read it. */
export const HIGHER_IS_BETTER: Record<MetricName, boolean> = {
  exact_match: true,
  f1: true,
  pass_at_1: true,
  pass_at_k: true,
  judge: true,
  acc_raw: true,
  acc_per_char: true,
  acc_per_token: true,
  acc_uncond: true,
  bpb: false,
};

// Splits, subtasks and hub names become parts of file paths (inside the task's data folder, the
// download cache) and of hub URLs: an override may give a plain name only, never a path.
const NO_PATH = "a plain name (letters, digits, _ . -), not a path";
const PlainName = z.string().regex(/^(?!.*\.\.)[A-Za-z0-9_][A-Za-z0-9_.-]*$/, NO_PATH);
const HubConfigName = z.string().regex(/^(?!.*\.\.)(?:[A-Za-z0-9_.-]|\{subtask\})+$/, `${NO_PATH}; {subtask} stands for the subtask`);
const HubDataset = z.string().regex(/^(?!.*\.\.)[A-Za-z0-9_][A-Za-z0-9_.-]*\/[A-Za-z0-9_][A-Za-z0-9_.-]*$/, "a Hugging Face dataset as owner/name, not a path");

/**
 * Everything about a task that decides how its questions are asked and scored. It is what `-o`
 * overrides, what the task hash covers (minus `data.hub`, see taskHash) and what a manifest
 * stores, so `rescore` can rebuild the task exactly.
 */
export const TaskConfig = z
  .object({
    description: z.string(),
    data: z.object({
      /** Hugging Face dataset path, resolved to its Parquet files at run time. */
      hub: HubDataset,
      /** Hugging Face config name; `{subtask}` is replaced by the subtask. */
      hub_config: HubConfigName.nullable(),
      /** The split questions come from. */
      split: PlainName,
      /** Subtasks (MMLU subjects, BBH tasks); null for a task without any. */
      subtasks: z.array(PlainName).min(1).nullable(),
    }),
    formulation: Formulation,
    format: PromptFormat,
    /** The question's prompt; `{field}` is replaced by the question's field. */
    template: z.string().min(1),
    /** What follows a few-shot exemplar's prompt: `{answer}` is its worked answer. */
    answer_template: z.string(),
    /** For rc: the continuation scored for each choice; `{choice}` is its text. */
    continuation_template: z.string(),
    /** For rc with acc_uncond: the context of the unconditional log-likelihood. */
    uncond_context: z.string(),
    fewshot: z.object({
      n: z.number().int().nonnegative(),
      split: PlainName,
      seed: z.number().int().nonnegative(),
    }),
    sampling: z.object({
      temperature: z.number().nonnegative(),
      top_p: z.number().gt(0).max(1),
      max_tokens: z.number().int().positive(),
      stop: z.array(z.string()).max(4),
      /** Samples per question (pass@k needs more than one). */
      samples: z.number().int().positive(),
    }),
    extract: Extractor,
    /**
     * For mc: instead of generating the answer, ask for the next token's N most likely
     * alternatives and pick the likeliest answer letter among them (for endpoints that give no
     * prompt log-probabilities). Absent: the letter is generated.
     */
    mc_top_logprobs: z.number().int().min(1).max(20).optional(),
    metrics: z.array(MetricName).min(1),
    primary_metric: MetricName,
    /** k of pass@k; at most `sampling.samples`. */
    pass_k: z.number().int().positive(),
    /** For the `judge` metric: how the harness's judge model grades an answer. */
    judge_rubric: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (!config.metrics.includes(config.primary_metric)) {
      ctx.addIssue({ code: "custom", path: ["primary_metric"], message: `primary_metric ${config.primary_metric} is not among metrics (${config.metrics.join(", ")})` });
    }
    if (config.formulation === "rc" && config.format !== "completion") {
      ctx.addIssue({ code: "custom", path: ["format"], message: "rank classification (rc) scores log-likelihoods of a completion prompt: use format=completion" });
    }
    if (config.mc_top_logprobs !== undefined) {
      if (config.formulation !== "mc") ctx.addIssue({ code: "custom", path: ["mc_top_logprobs"], message: `picking the answer letter by log-probability is for formulation mc, not ${config.formulation}` });
      if (config.format !== "completion") ctx.addIssue({ code: "custom", path: ["format"], message: "mc by log-probabilities reads the next token after a completion prompt: use format=completion" });
      if (config.metrics.some((m) => m !== "exact_match")) ctx.addIssue({ code: "custom", path: ["metrics"], message: "mc by log-probabilities is scored by exact_match of the picked letter only" });
    }
    const rcMetrics: MetricName[] = ["acc_raw", "acc_per_char", "acc_per_token", "acc_uncond", "bpb"];
    for (const metric of config.metrics) {
      if ((config.formulation === "rc") !== rcMetrics.includes(metric)) {
        ctx.addIssue({ code: "custom", path: ["metrics"], message: `metric ${metric} does not apply to formulation ${config.formulation}` });
      }
    }
    if (config.metrics.includes("judge") && !config.judge_rubric) {
      ctx.addIssue({ code: "custom", path: ["judge_rubric"], message: "the judge metric needs a judge_rubric saying how answers are graded" });
    }
    if (config.metrics.includes("pass_at_1") && config.metrics.includes("pass_at_k") && config.pass_k === 1) {
      ctx.addIssue({ code: "custom", path: ["pass_k"], message: "pass_at_1 and pass_at_k with pass_k=1 are the same metric; drop one or raise pass_k" });
    }
    if (config.metrics.includes("pass_at_k") && config.pass_k > config.sampling.samples) {
      ctx.addIssue({ code: "custom", path: ["pass_k"], message: `pass@${config.pass_k} needs at least ${config.pass_k} samples per question (sampling.samples is ${config.sampling.samples})` });
    }
  });
export type TaskConfig = z.infer<typeof TaskConfig>;

/** One question as the task sees it, built from one data row. */
export interface Question {
  /** From the data's own id field when it has one; a row position only when it has none. */
  id: string;
  subtask: string | null;
  cluster: string | null;
  /** The dataset's fields for this question: with `target`, what instance_hash covers. */
  input: Record<string, unknown>;
  /** The question's own text (its stem): how the simulator recognises it in a prompt. */
  text: string;
  /** Values the templates fill in: `{question}`, `{choices}`, ... */
  fields: Record<string, string>;
  /** The gold answer as scored: a number, a letter (mc), a choice text (rc), a phrase. */
  target: string;
  /** Other gold answers also accepted (SQuAD lists several). */
  aliases?: string[];
  /** Answer options of a multiple-choice question, and the gold one's index. */
  choices?: string[];
  gold?: number;
  /** A few-shot exemplar's worked answer; the target when absent. */
  shotAnswer?: string;
}

/** A data row the task cannot use: counted and reported with its row number, the run goes on. */
export class RowError extends Error {}

export interface TaskDefinition {
  name: string;
  config: TaskConfig;
  /** Turns one data row into a question, or throws RowError saying what is wrong with it. */
  parse(row: Record<string, unknown>, at: { index: number; subtask: string | null }): Question;
  /** Files that hold a split (of a subtask) inside a local `--data` folder, tried in order. */
  localFiles(split: string, subtask: string | null): string[];
  /** Column names of CSV files written without a header row (the original MMLU files). */
  headerlessCsvColumns?: string[];
  /**
   * For code tasks: the Python program that tests an extracted answer (exit 0 = passed). The
   * answer is then scored by running this program in a sandbox meeting `needs`, never by matching.
   */
  testProgram?: (question: Question, code: string) => string;
  /** What running `testProgram` needs from a sandbox (python, no network, untrusted by default). */
  needs?: NeedsInput;
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** Defaults every task starts from: a zero-shot generative chat task scored by exact match. */
export const DEFAULT_TASK_CONFIG: Omit<TaskConfig, "description" | "data" | "template"> = {
  formulation: "generate",
  format: "chat",
  answer_template: " {answer}",
  continuation_template: " {choice}",
  uncond_context: "Answer:",
  fewshot: { n: 0, split: "train", seed: 1234 },
  sampling: { temperature: 0, top_p: 1, max_tokens: 512, stop: [], samples: 1 },
  extract: "text",
  metrics: ["exact_match"],
  primary_metric: "exact_match",
  pass_k: 1,
};

/** Deep merge of plain objects; arrays and scalars in `patch` replace those in `base`. */
export function mergeConfig<T>(base: T, patch: DeepPartial<T> | Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const current = out[key];
    const bothObjects = isPlainObject(value) && isPlainObject(current);
    out[key] = bothObjects ? mergeConfig(current, value as Record<string, unknown>) : value;
  }
  return out as T;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
