import { letteredChoices } from "../formats/template";
import { register, registerVariant } from "../registry";
import { DEFAULT_TASK_CONFIG } from "../task";
import { goldIndex, idOf, text, texts } from "./rows";

/** HellaSwag's WikiHow markup cleaned as in lm-eval-harness: "[title]" breaks, other brackets dropped. */
function clean(value: string): string {
  return value.trim().replace(" [title]", ". ").replace(/\[.*?\]/g, "").replace(/ {2}/g, " ");
}

/** HellaSwag (Zellers et al. 2019): choose the ending of a situation; ranked by log-likelihood. */
register({
  name: "hellaswag",
  config: {
    ...DEFAULT_TASK_CONFIG,
    description: "commonsense sentence completion, four endings ranked by per-character log-likelihood; clusters by source video/article",
    data: { hub: "Rowan/hellaswag", hub_config: null, split: "validation", subtasks: null },
    formulation: "rc",
    format: "completion",
    template: "{activity}: {context}",
    fewshot: { n: 0, split: "train", seed: 1234 },
    metrics: ["acc_raw", "acc_per_char", "acc_per_token", "bpb"],
    primary_metric: "acc_per_char",
  },
  parse(row, { index }) {
    const activity = text(row, "activity_label");
    const ctxB = String(row.ctx_b ?? "");
    const context = clean(`${text(row, "ctx_a")} ${ctxB.charAt(0).toUpperCase()}${ctxB.slice(1)}`);
    const endings = texts(row, "endings").map(clean);
    const gold = goldIndex(row.label, endings.length);
    return {
      id: idOf(row, "ind", String(index)),
      subtask: null,
      cluster: row.source_id ? String(row.source_id) : null,
      input: { activity, ctx: row.ctx ?? context, endings: row.endings },
      text: context,
      fields: { activity, context, choices: letteredChoices(endings) },
      target: endings[gold],
      choices: endings,
      gold,
    };
  },
  localFiles: (split) => [`${split}.jsonl`, `${split}.parquet`, `${split}.json`],
});

registerVariant("hellaswag", "mc", "the endings as lettered options, the letter generated", {
  formulation: "mc",
  template: "{activity}: {context}\n{choices}\nAnswer:",
  metrics: ["exact_match"],
  primary_metric: "exact_match",
  extract: "letter",
  sampling: { max_tokens: 4, stop: ["\n"] },
});

registerVariant("hellaswag", "mc_logprobs", "the endings as lettered options, the likeliest letter among the next token's top 20 (for endpoints without prompt log-probabilities)", {
  formulation: "mc",
  template: "{activity}: {context}\n{choices}\nAnswer:",
  metrics: ["exact_match"],
  primary_metric: "exact_match",
  extract: "letter",
  mc_top_logprobs: 20,
});
