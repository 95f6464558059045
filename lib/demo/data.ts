import fs from "node:fs";
import path from "node:path";
import { mulberry32 } from "@/lib/stats/rng";

/**
 * Synthetic data files in the built-in tasks' own layouts (GSM8K JSONL, MMLU CSV per subject,
 * SQuAD JSONL), `size` questions each, so the demo runs the real tasks through the real runner.
 */

const ITEMS = ["apples", "marbles", "stickers", "books", "tickets", "cookies", "pencils", "stamps"] as const;
const NAMES = ["Natalia", "Weng", "Betty", "Julie", "James", "Albert", "Ken", "Alexis"] as const;
export const DEMO_SUBJECTS = ["abstract_algebra", "anatomy", "astronomy", "college_physics", "high_school_biology", "world_religions"] as const;

const pick = <T>(items: readonly T[], rand: () => number): T => items[Math.floor(rand() * items.length)];
const int = (lo: number, hi: number, rand: () => number) => lo + Math.floor(rand() * (hi - lo + 1));
const csvCell = (text: string) => (/[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

function gsm8k(dir: string, size: number, rand: () => number): void {
  const rows = Array.from({ length: size }, (_, i) => {
    const [a, b, c] = [int(3, 60, rand), int(2, 12, rand), int(1, 40, rand)];
    const name = pick(NAMES, rand);
    const item = pick(ITEMS, rand);
    const question = `${name} has ${a} boxes of ${item} with ${b} ${item} in each box, then gives away ${c} ${item}. How many ${item} does ${name} have left? (problem ${i})`;
    return JSON.stringify({ question, answer: `${a} boxes of ${b} is ${a}*${b}=<<${a}*${b}=${a * b}>>${a * b}; minus ${c} leaves ${a * b - c}.\n#### ${a * b - c}` });
  });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "test.jsonl"), `${rows.join("\n")}\n`);
}

function mmlu(dir: string, size: number, rand: () => number): void {
  fs.mkdirSync(dir, { recursive: true });
  DEMO_SUBJECTS.forEach((subject, s) => {
    const count = Math.floor(size / DEMO_SUBJECTS.length) + (s < size % DEMO_SUBJECTS.length ? 1 : 0);
    const lines = ["question,choice0,choice1,choice2,choice3,answer"];
    for (let i = 0; i < count; i++) {
      const question = `Which statement about ${subject.replaceAll("_", " ")} (item ${i}) is correct?`;
      const choices = [0, 1, 2, 3].map((k) => `statement ${"abcd"[k]}${int(1, 99, rand)}`);
      lines.push([question, ...choices, String(int(0, 3, rand))].map(csvCell).join(","));
    }
    fs.writeFileSync(path.join(dir, `${subject}_test.csv`), `${lines.join("\n")}\n`);
  });
}

/** Four questions per passage, so questions cluster by passage (article title). */
function squad(dir: string, size: number, rand: () => number): void {
  const rows: string[] = [];
  for (let passage = 0; rows.length < size; passage++) {
    const city = `City${int(100, 999, rand)}`;
    const title = `Passage ${passage}: ${city}`;
    const facts = Array.from({ length: 4 }, (_, k) => ({ k, year: String(int(1700, 2020, rand)) }));
    const context = facts.map(({ k, year }) => `Bridge ${k} of ${city} was rebuilt in ${year}.`).join(" ");
    for (const { k, year } of facts) {
      if (rows.length === size) break;
      rows.push(JSON.stringify({ id: `p${passage}-q${k}`, title, context, question: `In passage ${passage}, in which year was bridge ${k} of ${city} rebuilt?`, answers: { text: [`in ${year}`, year], answer_start: [0, 0] } }));
    }
  }
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "validation.jsonl"), `${rows.join("\n")}\n`);
}

/** Writes the three tasks' data under `root` and returns the folder of each. */
export function writeDemoData(root: string, size: number, seed: number): { gsm8k: string; mmlu: string; squad: string } {
  const out = { gsm8k: path.join(root, "gsm8k"), mmlu: path.join(root, "mmlu"), squad: path.join(root, "squad") };
  gsm8k(out.gsm8k, size, mulberry32(seed));
  mmlu(out.mmlu, size, mulberry32(seed + 1));
  squad(out.squad, size, mulberry32(seed + 2));
  return out;
}
