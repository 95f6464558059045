import { register, registerVariant } from "../registry";
import { DEFAULT_TASK_CONFIG, type Question } from "../task";
import { text } from "./rows";

/** The prompt's import lines: an answer that restates only the function still gets them. */
const importsOf = (prompt: string) => prompt.split("\n").filter((line) => /^(from\s+\S+\s+)?import\s/.test(line)).join("\n");

/**
 * The program that tests one answer: the answer (completed with the prompt when it holds only
 * the body), the dataset's `check`, and a call of it on the entry point. Exit 0 = passed.
 */
function testProgram(question: Question, code: string): string {
  const { prompt, test, entry_point } = question.fields;
  const defines = new RegExp(`^def\\s+${entry_point}\\s*\\(`, "m").test(code);
  const solution = defines ? `${importsOf(prompt)}\n${code}` : `${prompt}${code}`;
  return `${solution}\n\n${test}\n\ncheck(${entry_point})\n`;
}

/**
 * HumanEval (Chen et al. 2021): 164 Python functions from signature and docstring, scored by
 * running the dataset's unit tests on the model's code in a sandbox; pass@1 (pass@k with samples).
 */
register({
  name: "humaneval",
  config: {
    ...DEFAULT_TASK_CONFIG,
    description: "Python functions from docstrings; the model's code runs against the unit tests in a sandbox, pass@1",
    data: { hub: "openai/openai_humaneval", hub_config: null, split: "test", subtasks: null },
    template: "Complete this Python function. Reply with the whole function in one ```python code block.\n\n```python\n{prompt}```",
    sampling: { ...DEFAULT_TASK_CONFIG.sampling, max_tokens: 1024 },
    extract: "code_block",
    metrics: ["pass_at_1"],
    primary_metric: "pass_at_1",
  },
  parse(row) {
    const prompt = text(row, "prompt");
    const entry_point = text(row, "entry_point");
    const test = text(row, "test");
    const id = text(row, "task_id");
    // The tests stay out of `input`: a run with the plus tests pairs question by question with a base run.
    return { id, subtask: null, cluster: null, input: { prompt, entry_point }, text: prompt, fields: { prompt, test, entry_point }, target: prompt + text(row, "canonical_solution") };
  },
  localFiles: (split) => ["HumanEval.jsonl.gz", "HumanEval.jsonl", `${split}.jsonl`, `${split}.jsonl.gz`, `${split}.parquet`, `data/${split}-00000-of-00001.parquet`],
  testProgram,
  needs: { python: true, network: "none" },
});

registerVariant("humaneval", "pass10", "ten samples at temperature 0.8: pass@1 and pass@10", {
  sampling: { temperature: 0.8, samples: 10 },
  metrics: ["pass_at_1", "pass_at_k"],
  pass_k: 10,
});

registerVariant("humaneval", "plus", "HumanEval+ (EvalPlus): the same problems with many more tests; pairs with humaneval runs question by question", {
  data: { hub: "evalplus/humanevalplus", hub_config: null, split: "test", subtasks: null },
});
