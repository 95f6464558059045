import type { SimQuestion } from "./knowledge";

/** FNV-1a over text: a fast, stable 32-bit hash for per-question draws. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A uniform draw in [0, 1) fixed by the seed and the parts (mulberry32 step on the hash). */
export function unit(seed: number, ...parts: (string | number)[]): number {
  let t = (fnv1a(parts.join("\u0000")) ^ seed) + 0x6d2b79f5;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** Share of questions whose luck is the same at every checkpoint: real checkpoints are correlated. */
const SHARED_LUCK = 0.8;

/**
 * Whether a checkpoint answers a question correctly: with probability `accuracy`, drawn per
 * question from the seed (the same answer every time it is asked). Most questions share their
 * draw across checkpoints, so a better checkpoint mostly adds questions rather than reshuffling
 * them, and two checkpoints differ on known questions. `sample` varies the draw for repeated
 * sampling at temperature > 0.
 */
export function answersCorrectly(seed: number, checkpoint: string, accuracy: number, question: SimQuestion, sample: number | null): boolean {
  const shared = sample === null && unit(seed, "mix", checkpoint, question.text) < SHARED_LUCK;
  const u = shared ? unit(seed, "luck", question.text) : unit(seed, "own", checkpoint, question.text, sample ?? "");
  return u < accuracy;
}

/** The wrong answer a checkpoint gives to a question it misses. */
export function wrongAnswer(seed: number, checkpoint: string, question: SimQuestion): string {
  const { alternatives } = question;
  if (alternatives.length === 0) return "I do not know.";
  return alternatives[Math.floor(unit(seed, "wrong", checkpoint, question.text) * alternatives.length)];
}

/** Whitespace-led word tokens with their character offsets: the simulator's tokenizer. */
export function tokenize(text: string): { token: string; offset: number }[] {
  const out: { token: string; offset: number }[] = [];
  const pattern = /\s*\S+|\s+$/g;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) out.push({ token: m[0], offset: m.index });
  return out;
}

/** Per-token log-probability of a continuation: the choice the checkpoint favours is likely, others not. */
const FAVOURED = -0.05;
const OTHER = -3;
const CONTEXT = -1.5;

/**
 * Echoed log-probabilities of a prompt that ends with one of a known question's choices: the
 * continuation's tokens score high for the choice the checkpoint picks (the gold one when it
 * answers correctly), low for the rest. Unknown prompts (such as unconditional contexts) get
 * a flat score per token.
 */
export function echoLogprobs(prompt: string, question: SimQuestion | null, favoured: number | null): { tokens: string[]; token_logprobs: (number | null)[]; text_offset: number[] } {
  const tokens = tokenize(prompt);
  let start = prompt.length;
  let isFavoured = false;
  if (question?.choices) {
    let match = -1;
    question.choices.forEach((choice, i) => {
      const trimmed = choice.trim();
      if (trimmed && prompt.trimEnd().endsWith(trimmed) && (match === -1 || trimmed.length > question.choices![match].trim().length)) match = i;
    });
    if (match >= 0) {
      start = prompt.trimEnd().length - question.choices[match].trim().length;
      isFavoured = match === favoured;
    }
  }
  const logprobs = tokens.map(({ token, offset }, i) => {
    if (i === 0) return null;
    if (offset + token.length > start) return isFavoured ? FAVOURED : OTHER;
    return CONTEXT - (unit(0, token) - 0.5);
  });
  return { tokens: tokens.map((t) => t.token), token_logprobs: logprobs, text_offset: tokens.map((t) => t.offset) };
}
