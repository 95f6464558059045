import { instanceHash } from "@/lib/schema/hash";

/** One synthetic question: what a task's dataset would hold, plus how the model sees it. */
export interface DemoQuestion {
  task: string;
  subtask: string | null;
  instanceId: string;
  clusterId: string | null;
  instanceHash: string;
  prompt: string;
  target: string;
  /** A plausible wrong answer for a checkpoint that misses the question. */
  distractor: string;
  /** Latent difficulty on the logit scale, shared by every checkpoint. */
  difficulty: number;
}

export interface DemoTask {
  name: string;
  description: string;
  questions(count: number, rand: () => number): DemoQuestion[];
  response(question: DemoQuestion, correct: boolean): string;
  extract(response: string): string;
  /** Continuous metrics beside exact match, e.g. token F1 for reading comprehension. */
  extraScores?(question: DemoQuestion, correct: boolean, rand: () => number): Record<string, number>;
}

const pick = <T>(items: readonly T[], rand: () => number): T => items[Math.floor(rand() * items.length)];
const int = (lo: number, hi: number, rand: () => number) => lo + Math.floor(rand() * (hi - lo + 1));

/** Standard normal draw (Box-Muller), for latent difficulties. */
function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

function question(fields: Omit<DemoQuestion, "instanceHash">, input: unknown): DemoQuestion {
  return { ...fields, instanceHash: instanceHash(input, fields.target) };
}

const ITEMS = ["apples", "marbles", "stickers", "books", "tickets", "cookies", "pencils", "stamps"] as const;
const NAMES = ["Natalia", "Weng", "Betty", "Julie", "James", "Albert", "Ken", "Alexis"] as const;

const arithmetic: DemoTask = {
  name: "gsm8k",
  description: "grade-school arithmetic word problems, exact match on the final number",
  questions(count, rand) {
    return Array.from({ length: count }, (_, i) => {
      const [a, b, c] = [int(3, 60, rand), int(2, 12, rand), int(1, 40, rand)];
      const name = pick(NAMES, rand);
      const item = pick(ITEMS, rand);
      const text = `${name} has ${a} boxes of ${item} with ${b} ${item} in each box, then gives away ${c} ${item}. How many ${item} does ${name} have left?`;
      const answer = a * b - c;
      return question(
        {
          task: "gsm8k",
          subtask: null,
          instanceId: `gsm8k-${i}`,
          clusterId: null,
          prompt: `Question: ${text}\nAnswer: Let's think step by step.`,
          target: String(answer),
          distractor: String(answer + pick([-10, -1, 1, 2, 10, b], rand)),
          difficulty: normal(rand) + (a * b > 300 ? 0.6 : 0),
        },
        { question: text },
      );
    });
  },
  response(q, correct) {
    const answer = correct ? q.target : q.distractor;
    return `First multiply the boxes by the items per box, then subtract what was given away.\nThe answer is ${answer}.`;
  },
  extract: (response) => /The answer is (-?\d+)/.exec(response)?.[1] ?? "",
};

const SUBJECTS = ["abstract_algebra", "anatomy", "astronomy", "college_physics", "high_school_biology", "world_religions"] as const;
const LETTERS = ["A", "B", "C", "D"] as const;

const multipleChoice: DemoTask = {
  name: "mmlu",
  description: "four-way multiple choice over six subjects, answered as a letter",
  questions(count, rand) {
    return Array.from({ length: count }, (_, i) => {
      const subject = SUBJECTS[i % SUBJECTS.length];
      const options = LETTERS.map((letter) => `${letter}. option ${letter.toLowerCase()}${int(1, 99, rand)}`);
      const target = pick(LETTERS, rand);
      const stem = `Which statement about ${subject.replaceAll("_", " ")} (item ${i}) is correct?`;
      return question(
        {
          task: "mmlu",
          subtask: subject,
          instanceId: `mmlu-${subject}-${i}`,
          clusterId: null,
          prompt: `${stem}\n${options.join("\n")}\nAnswer:`,
          target,
          distractor: pick(LETTERS.filter((l) => l !== target), rand),
          difficulty: normal(rand) + SUBJECTS.indexOf(subject) * 0.15 - 0.3,
        },
        { question: stem, choices: options },
      );
    });
  },
  response: (q, correct) => ` ${correct ? q.target : q.distractor}`,
  extract: (response) => response.trim().slice(0, 1),
};

/** Reading comprehension: four questions per passage, so questions cluster by passage. */
const reading: DemoTask = {
  name: "reading",
  description: "reading comprehension, four questions per passage (clustered), exact match and token F1",
  questions(count, rand) {
    const questions: DemoQuestion[] = [];
    for (let passage = 0; questions.length < count; passage++) {
      const passageDifficulty = normal(rand) * 0.9;
      const city = `City${int(100, 999, rand)}`;
      for (let k = 0; k < 4 && questions.length < count; k++) {
        const year = String(int(1700, 2020, rand));
        const text = `In passage ${passage}, in which year was the bridge of ${city} rebuilt (fact ${k})?`;
        questions.push(
          question(
            {
              task: "reading",
              subtask: null,
              instanceId: `reading-p${passage}-q${k}`,
              clusterId: `passage-${passage}`,
              prompt: `Passage ${passage}: The old bridge of ${city} was rebuilt in ${year} after a flood.\n\nQuestion: ${text}\nAnswer:`,
              target: `in ${year}`,
              distractor: `around ${Number(year) + int(1, 30, rand)}`,
              difficulty: passageDifficulty + normal(rand) * 0.5,
            },
            { passage, question: text },
          ),
        );
      }
    }
    return questions;
  },
  response: (q, correct) => ` ${correct ? q.target : q.distractor}`,
  extract: (response) => response.trim(),
  extraScores: (_q, correct, rand) => ({ f1: correct ? 1 : Math.round(rand() * 2) / 4 }),
};

export const DEMO_TASKS: readonly DemoTask[] = [arithmetic, multipleChoice, reading];
