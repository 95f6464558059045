import { letteredChoices } from "../formats/template";
import { register, registerVariant } from "../registry";
import { DEFAULT_TASK_CONFIG, RowError, type Question } from "../task";
import type { Row } from "../data/read-rows";
import { goldIndex, idOf, text } from "./rows";

export const MMLU_SUBJECTS = [
  "abstract_algebra", "anatomy", "astronomy", "business_ethics", "clinical_knowledge", "college_biology", "college_chemistry",
  "college_computer_science", "college_mathematics", "college_medicine", "college_physics", "computer_security", "conceptual_physics",
  "econometrics", "electrical_engineering", "elementary_mathematics", "formal_logic", "global_facts", "high_school_biology",
  "high_school_chemistry", "high_school_computer_science", "high_school_european_history", "high_school_geography",
  "high_school_government_and_politics", "high_school_macroeconomics", "high_school_mathematics", "high_school_microeconomics",
  "high_school_physics", "high_school_psychology", "high_school_statistics", "high_school_us_history", "high_school_world_history",
  "human_aging", "human_sexuality", "international_law", "jurisprudence", "logical_fallacies", "machine_learning", "management",
  "marketing", "medical_genetics", "miscellaneous", "moral_disputes", "moral_scenarios", "nutrition", "philosophy", "prehistory",
  "professional_accounting", "professional_law", "professional_medicine", "professional_psychology", "public_relations",
  "security_studies", "sociology", "us_foreign_policy", "virology", "world_religions",
];

/** The four options of a row in any of the layouts MMLU ships in. */
function choicesOf(row: Row): string[] {
  if (Array.isArray(row.choices)) return (row.choices as unknown[]).map(String); // Hugging Face cais/mmlu
  if ("choice0" in row) return [0, 1, 2, 3].map((i) => text(row, `choice${i}`)); // header CSV (index answer)
  if ("A" in row) return ["A", "B", "C", "D"].map((l) => text(row, l)); // original headerless CSV (letter answer)
  throw new RowError("no choices: expected a choices list, choice0-choice3 or A-D columns");
}

/** MMLU (Hendrycks et al. 2021): 57 subjects as subtasks, four-way multiple choice. */
register({
  name: "mmlu",
  config: {
    ...DEFAULT_TASK_CONFIG,
    description: "57-subject multiple choice (subjects are subtasks); 5-shot from dev, answered as a letter",
    data: { hub: "cais/mmlu", hub_config: "{subtask}", split: "test", subtasks: MMLU_SUBJECTS },
    formulation: "mc",
    format: "completion",
    template: "The following is a multiple choice question about {subject}.\n\n{question}\n{choices}\nAnswer:",
    fewshot: { n: 5, split: "dev", seed: 1234 },
    sampling: { ...DEFAULT_TASK_CONFIG.sampling, max_tokens: 4, stop: ["\n"] },
    extract: "letter",
  },
  parse(row, { index, subtask }): Question {
    const question = text(row, "question");
    const choices = choicesOf(row);
    const gold = goldIndex(row.answer, choices.length);
    const subject = (subtask ?? String(row.subject ?? "")).replaceAll("_", " ");
    return {
      id: idOf(row, "id", `${subtask}-${index}`),
      subtask,
      cluster: null,
      input: { question, choices },
      text: question,
      fields: { question, subject, choices: letteredChoices(choices) },
      target: "ABCD"[gold],
      choices,
      gold,
    };
  },
  localFiles: (split, subject) => [`${subject}_${split}.csv`, `${split}/${subject}_${split}.csv`, `${subject}/${split}.parquet`, `${subject}/${split}.jsonl`, `${split}/${subject}.jsonl`],
  headerlessCsvColumns: ["question", "A", "B", "C", "D", "answer"],
});

registerVariant("mmlu", "rc", "rank classification: log-likelihood of each answer text, per-character normalised (OLMES)", {
  formulation: "rc",
  template: "The following is a question about {subject}.\n\nQuestion: {question}\nAnswer:",
  metrics: ["acc_raw", "acc_per_char", "acc_per_token", "bpb"],
  primary_metric: "acc_per_char",
});

registerVariant("mmlu", "chat", "multiple choice in chat format, zero-shot, the letter extracted from the reply", {
  format: "chat",
  template: "{question}\n{choices}\n\nAnswer with the letter of the correct option.",
  fewshot: { n: 0 },
  sampling: { max_tokens: 256, stop: [] },
});

registerVariant("mmlu", "mc_logprobs", "multiple choice by log-probability: the likeliest answer letter among the next token's top 20 (for endpoints without prompt log-probabilities, such as llama-server)", {
  mc_top_logprobs: 20,
});
