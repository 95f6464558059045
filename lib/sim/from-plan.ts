import type { TaskPlan } from "@/lib/runner/plan";
import { normalizeNumber } from "@/lib/runner/scorers/extract";
import type { SimQuestion } from "./knowledge";

/**
 * What the simulator needs to know about planned questions: their text, the answer a correct
 * checkpoint gives (the scored target) and plausible wrong answers (other letters, nearby
 * numbers, other questions' answers).
 */
export function simQuestions(plans: readonly TaskPlan[]): SimQuestion[] {
  return plans.flatMap((plan) => {
    const targets = [...new Set(plan.questions.map((pq) => pq.question.target))];
    return plan.questions.map(({ question }): SimQuestion => {
      const { target, choices, gold } = question;
      let alternatives: string[];
      // Code tasks: the reference solution, or a stub that fails every test, as a fenced block.
      if (plan.task.definition.testProgram) return { id: `${plan.task.name}/${question.id}`, text: question.text, target: fenced(target), alternatives: [fenced(`${question.fields.prompt ?? ""}    raise NotImplementedError\n`)] };
      if (plan.task.config.formulation === "mc" && choices) alternatives = choices.map((_, j) => String.fromCharCode(65 + j)).filter((l) => l !== target);
      else if (/^-?\d+(\.\d+)?$/.test(target)) alternatives = [1, -1, 2, 10, -10].map((d) => normalizeNumber(String(Number(target) + d)));
      else alternatives = [1, 2, 3].map((d) => targets[(targets.indexOf(target) + d) % targets.length]).filter((t) => t !== target);
      if (alternatives.length === 0) alternatives = [`not ${target}`];
      return { id: `${plan.task.name}/${question.id}`, text: question.text, target, alternatives, choices, gold };
    });
  });
}

const fenced = (code: string) => `Here is the solution:\n\n\`\`\`python\n${code.replace(/\s+$/, "")}\n\`\`\`\n`;
