import { letteredChoices, LETTERS } from "../formats/template";
import { register, registerVariant } from "../registry";
import { DEFAULT_TASK_CONFIG, RowError } from "../task";
import type { Row } from "../data/read-rows";
import { goldIndex, text } from "./rows";

/** ARC choices come as {text: [...], label: [...]} (labels A-E, or 1-4 in a few questions). */
function choicesOf(row: Row): { texts: string[]; labels: string[] } {
  const choices = row.choices as { text?: unknown; label?: unknown } | undefined;
  const texts = choices?.text;
  const labels = choices?.label;
  if (!Array.isArray(texts) || !Array.isArray(labels) || texts.length < 2 || texts.length !== labels.length) {
    throw new RowError('field "choices" is not {text: [...], label: [...]} of equal lengths');
  }
  return { texts: texts.map(String), labels: labels.map(String) };
}

/** AI2 ARC (Clark et al. 2018), both sets: the same task shape, two datasets. */
function registerArc(name: string, hubConfig: string, description: string): void {
  register({
    name,
    config: {
      ...DEFAULT_TASK_CONFIG,
      description,
      data: { hub: "allenai/ai2_arc", hub_config: hubConfig, split: "test", subtasks: null },
      formulation: "mc",
      format: "completion",
      template: "Question: {question}\n{choices}\nAnswer:",
      fewshot: { n: 5, split: "train", seed: 1234 },
      sampling: { ...DEFAULT_TASK_CONFIG.sampling, max_tokens: 4, stop: ["\n"] },
      extract: "letter",
    },
    parse(row) {
      const id = text(row, "id");
      const question = text(row, "question");
      const { texts, labels } = choicesOf(row);
      const gold = goldIndex(text(row, "answerKey"), texts.length, labels);
      return { id, subtask: null, cluster: null, input: { question, choices: texts }, text: question, fields: { question, choices: letteredChoices(texts) }, target: LETTERS[gold], choices: texts, gold };
    },
    localFiles: (split) => [`${split}.jsonl`, `${split}.parquet`, `${split}.json`, `${hubConfig}/${split}.jsonl`, `${hubConfig}/${split}-00000-of-00001.parquet`],
  });
  registerVariant(name, "rc", "rank classification of the answer texts by log-likelihood, per-character normalised (OLMES)", {
    formulation: "rc",
    template: "Question: {question}\nAnswer:",
    metrics: ["acc_raw", "acc_per_char", "acc_per_token", "bpb"],
    primary_metric: "acc_per_char",
  });
  registerVariant(name, "mc_logprobs", "multiple choice by log-probability: the likeliest answer letter among the next token's top 20 (for endpoints without prompt log-probabilities)", {
    mc_top_logprobs: 20,
  });
  registerVariant(name, "rc_uncond", "rank classification with the unconditional normalisation beside the others", {
    formulation: "rc",
    template: "Question: {question}\nAnswer:",
    metrics: ["acc_raw", "acc_per_char", "acc_per_token", "acc_uncond", "bpb"],
    primary_metric: "acc_uncond",
  });
}

registerArc("arc_easy", "ARC-Easy", "AI2 ARC easy set: grade-school science, multiple choice as letters, 5-shot");
registerArc("arc_challenge", "ARC-Challenge", "AI2 ARC challenge set: grade-school science, multiple choice as letters, 5-shot");
