import { LETTERS } from "../formats/template";
import type { Question, TaskConfig } from "../task";
import type { Scored } from "./score";

/** An answer letter's log-probability as the next token; null when it is not among the top alternatives. */
export interface LetterLogprob {
  continuation: string;
  logprob: number | null;
  gold: boolean;
}

const logSumExp = (values: readonly number[]) => {
  const max = Math.max(...values);
  return max + Math.log(values.reduce((sum, v) => sum + Math.exp(v - max), 0));
};

/**
 * Each answer letter's log-probability among the next token's top alternatives: its forms with
 * and without a leading space (" A", "A") are one answer, so their probabilities add up.
 */
export function letterLogprobs(top: readonly { token: string; logprob: number }[], question: Question): LetterLogprob[] {
  return (question.choices ?? []).map((_, i) => {
    const forms = top.filter((t) => t.token.trim() === LETTERS[i]).map((t) => t.logprob);
    return { continuation: LETTERS[i], logprob: forms.length === 0 ? null : logSumExp(forms), gold: i === question.gold };
  });
}

/**
 * The likeliest letter among those in the top k, or null when none is ("not in the top k"). A
 * letter in the top k is likelier than every letter outside it, so a pick is never a guess; only
 * when no letter made the top k is the answer unknown, and then it is unscored, not wrong.
 */
export function pickLetter(letters: readonly LetterLogprob[]): number | null {
  let best: number | null = null;
  letters.forEach((l, i) => {
    if (l.logprob !== null && (best === null || l.logprob > letters[best].logprob!)) best = i;
  });
  return best;
}

/** exact_match of the picked letter; null (unscored) when no letter is in the top k. */
export function scoreLetters(config: TaskConfig, letters: readonly LetterLogprob[]): Scored {
  const pick = pickLetter(letters);
  const score = pick === null ? null : letters[pick].gold ? 1 : 0;
  return { extracted: pick === null ? null : letters[pick].continuation, scores: Object.fromEntries(config.metrics.map((m) => [m, score])), score };
}

/** The record's response: each letter's log-probability, or why there is no answer and what the model favoured instead. */
export function describeLetters(letters: readonly LetterLogprob[], top: readonly { token: string; logprob: number }[], k: number): string {
  const pick = pickLetter(letters);
  const lines = letters.map((l, i) => `${i === pick ? "*" : " "} ${l.continuation} ${l.logprob === null ? `not in the top ${k}` : `log p ${l.logprob.toFixed(4)}`}`);
  if (pick !== null) return [`picked ${letters[pick].continuation}, the likeliest answer letter among the next token's ${top.length} most likely tokens`, ...lines].join("\n");
  const likeliest = top.slice(0, 5).map((t) => `${JSON.stringify(t.token)} ${t.logprob.toFixed(4)}`).join(", ");
  return [`not in the top ${k}: no answer letter among the next token's ${top.length} most likely tokens (likeliest: ${likeliest})`, ...lines].join("\n");
}
