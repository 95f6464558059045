import { register, registerVariant } from "../registry";
import { normalizeNumber } from "../scorers/extract";
import { DEFAULT_TASK_CONFIG, RowError } from "../task";
import { idOf, text } from "./rows";

/** GSM8K (Cobbe et al. 2021): grade-school word problems, exact match on the final number. */
register({
  name: "gsm8k",
  config: {
    ...DEFAULT_TASK_CONFIG,
    description: "grade-school math word problems; zero-shot chain of thought in chat, exact match on the final number",
    data: { hub: "openai/gsm8k", hub_config: "main", split: "test", subtasks: null },
    template: 'Solve this math problem step by step. Finish with "The answer is N." where N is the final number.\n\nQuestion: {question}',
    extract: "number",
    fewshot: { n: 0, split: "train", seed: 1234 },
  },
  parse(row, { index }) {
    const question = text(row, "question");
    const answer = text(row, "answer");
    const final = /####\s*(.+)\s*$/.exec(answer);
    if (!final) throw new RowError('field "answer" has no final "#### <number>" line');
    const target = normalizeNumber(final[1].trim());
    // The worked solution, calculator annotations dropped, ending the way the prompt asks.
    const worked = answer.replace(/<<[^>]*>>/g, "").replace(/####\s*.+$/, `The answer is ${target}.`);
    return { id: idOf(row, "id", String(index)), subtask: null, cluster: null, input: { question, answer }, text: question, fields: { question }, target, shotAnswer: worked };
  },
  localFiles: (split) => [`${split}.jsonl`, `${split}.parquet`, `${split}.json`, `main/${split}.jsonl`, `main/${split}-00000-of-00001.parquet`],
});

registerVariant("gsm8k", "cot", "8-shot chain of thought in completion format, exemplars from the train split (OLMES style)", {
  format: "completion",
  template: "Question: {question}\nAnswer:",
  fewshot: { n: 8 },
  sampling: { stop: ["\n\nQuestion:", "Question:"] },
});

registerVariant("gsm8k", "pass5", "five samples at temperature 0.8 per question, pass@5 beside exact match", {
  sampling: { temperature: 0.8, samples: 5 },
  metrics: ["exact_match", "pass_at_k"],
  pass_k: 5,
});
