import { register, registerVariant } from "../registry";
import { DEFAULT_TASK_CONFIG, RowError } from "../task";
import { text } from "./rows";

/** SQuAD v1.1 (Rajpurkar et al. 2016): extractive reading comprehension; questions cluster by article. */
register({
  name: "squad",
  config: {
    ...DEFAULT_TASK_CONFIG,
    description: "reading comprehension: a short answer from the passage, token F1 and exact match; clustered by article",
    data: { hub: "rajpurkar/squad", hub_config: null, split: "validation", subtasks: null },
    template: "{context}\n\nQuestion: {question}\nAnswer with a short phrase from the passage.",
    sampling: { ...DEFAULT_TASK_CONFIG.sampling, max_tokens: 32 },
    extract: "text",
    metrics: ["exact_match", "f1"],
    primary_metric: "f1",
  },
  parse(row) {
    const id = text(row, "id");
    const question = text(row, "question");
    const context = text(row, "context");
    const answers = (row.answers as { text?: unknown } | undefined)?.text;
    if (!Array.isArray(answers) || answers.length === 0) throw new RowError('field "answers" has no answer texts');
    const [target, ...aliases] = answers.map(String);
    return { id, subtask: null, cluster: String(row.title ?? ""), input: { context, question, answers }, text: question, fields: { question, context, title: String(row.title ?? "") }, target, aliases };
  },
  localFiles: (split) => [`${split}.jsonl`, `${split}.parquet`, `${split}.json`],
});

registerVariant("squad", "judge", "graded by the harness's judge model against the reference answers (needs -o harness.judge=NAME), F1 beside it", {
  metrics: ["f1", "judge"],
  primary_metric: "judge",
  judge_rubric: "The answer is correct when it means the same as one of the reference answers; extra words are fine, a different or missing answer is not.",
});
