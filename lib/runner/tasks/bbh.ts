import { register, registerVariant } from "../registry";
import { DEFAULT_TASK_CONFIG } from "../task";
import { idOf, text } from "./rows";

export const BBH_SUBTASKS = [
  "boolean_expressions", "causal_judgement", "date_understanding", "disambiguation_qa", "dyck_languages", "formal_fallacies",
  "geometric_shapes", "hyperbaton", "logical_deduction_five_objects", "logical_deduction_seven_objects",
  "logical_deduction_three_objects", "movie_recommendation", "multistep_arithmetic_two", "navigate", "object_counting",
  "penguins_in_a_table", "reasoning_about_colored_objects", "ruin_names", "salient_translation_error_detection", "snarks",
  "sports_understanding", "temporal_sequences", "tracking_shuffled_objects_five_objects", "tracking_shuffled_objects_seven_objects",
  "tracking_shuffled_objects_three_objects", "web_of_lies", "word_sorting",
];

/** BIG-Bench Hard (Suzgun et al. 2022): 27 subtasks, exact match on the answer phrase. */
register({
  name: "bbh",
  config: {
    ...DEFAULT_TASK_CONFIG,
    description: "BIG-Bench Hard, 27 subtasks; zero-shot chain of thought in chat, exact match on the phrase after \"the answer is\"",
    data: { hub: "lukaemon/bbh", hub_config: "{subtask}", split: "test", subtasks: BBH_SUBTASKS },
    template: 'Q: {question}\n\nThink step by step, then finish with "So the answer is X." where X is the answer alone.',
    extract: "answer_phrase",
    fewshot: { n: 0, split: "test", seed: 1234 },
  },
  parse(row, { index, subtask }) {
    const question = text(row, "input");
    const target = text(row, "target");
    // Item identity is the array index within its subtask (the order lm-eval-harness uses).
    return { id: idOf(row, "id", `${subtask}-${index}`), subtask, cluster: null, input: { input: question }, text: question, fields: { question }, target };
  },
  localFiles: (split, subtask) => [`${subtask}.json`, `${subtask}/${split}.jsonl`, `${subtask}/${split}-00000-of-00001.parquet`, `${subtask}.jsonl`],
});

registerVariant("bbh", "direct", "direct answers in completion format, 3-shot from the same subtask (the question itself excluded)", {
  format: "completion",
  template: "Q: {question}\nA:",
  answer_template: " {answer}",
  fewshot: { n: 3 },
  sampling: { max_tokens: 32, stop: ["\n"] },
});
