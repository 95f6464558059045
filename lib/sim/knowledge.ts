/** A question the simulator can answer: how to recognise it and what is right and wrong. */
export interface SimQuestion {
  /** Instance id, for the request log. */
  id: string;
  /** The question's own text, found in the prompt. */
  text: string;
  /** The correct answer as a response should give it (number, letter, phrase). */
  target: string;
  /** Wrong answers a checkpoint that misses the question gives. */
  alternatives: string[];
  /** Answer texts of a multiple-choice question and the gold index, for log-likelihoods. */
  choices?: string[];
  gold?: number;
}

const KEY = 24;

/**
 * Finds which known question a prompt is about: the known question text that ends last in the
 * prompt (few-shot exemplars come before the question). Texts are indexed by their first 24
 * characters and the prompt is scanned backwards from its end, so a lookup costs about the
 * length of the prompt's tail, not the number of questions.
 */
export class QuestionIndex {
  private readonly byKey = new Map<string, SimQuestion[]>();
  private readonly keyLengths = new Set<number>();
  private longest = 0;
  readonly size: number;

  constructor(questions: readonly SimQuestion[]) {
    for (const q of questions) {
      const key = q.text.slice(0, KEY);
      const list = this.byKey.get(key);
      if (list) list.push(q);
      else this.byKey.set(key, [q]);
      this.keyLengths.add(key.length);
      this.longest = Math.max(this.longest, q.text.length);
    }
    this.size = questions.length;
  }

  find(prompt: string): SimQuestion | null {
    let best: SimQuestion | null = null;
    let bestEnd = -1;
    for (let p = prompt.length - 1; p >= 0; p--) {
      // Nothing starting this early can end later than the best match found.
      if (best !== null && p + this.longest <= bestEnd) break;
      for (const length of this.keyLengths) {
        const candidates = this.byKey.get(prompt.substr(p, length));
        if (!candidates) continue;
        for (const q of candidates) {
          const end = p + q.text.length;
          if (end > bestEnd && prompt.startsWith(q.text, p)) {
            best = q;
            bestEnd = end;
          }
        }
      }
    }
    return best;
  }
}
