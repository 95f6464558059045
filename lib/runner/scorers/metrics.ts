import { normalizeNumber } from "./extract";

/** Case, surrounding punctuation and runs of spaces ignored; numbers compared by value. */
export function normalizeAnswer(text: string): string {
  const trimmed = text.trim().replace(/^[("'\s]+|[)"'.\s]+$/g, "").replace(/\s+/g, " ").toLowerCase();
  return /^-?[$]?\d[\d,]*(\.\d+)?$/.test(trimmed) ? normalizeNumber(trimmed) : trimmed;
}

/** 1 when the extracted answer equals the target or an alias after normalizeAnswer, else 0. */
export function exactMatch(extracted: string | null, targets: readonly string[]): number {
  if (extracted === null) return 0;
  const got = normalizeAnswer(extracted);
  return targets.some((t) => normalizeAnswer(t) === got) ? 1 : 0;
}

/** SQuAD's normalisation: lower case, no punctuation, no articles, single spaces. */
function squadTokens(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, " ")
    .replace(/\b(a|an|the)\b/g, " ")
    .split(/\s+/)
    .filter(Boolean);
}

/** Token-overlap F1 (SQuAD): 2PR/(P+R) over normalised tokens, the best over the targets. */
export function f1(extracted: string | null, targets: readonly string[]): number {
  if (extracted === null) return 0;
  const got = squadTokens(extracted);
  let best = 0;
  for (const target of targets) {
    const want = squadTokens(target);
    if (got.length === 0 || want.length === 0) {
      best = Math.max(best, got.length === want.length ? 1 : 0);
      continue;
    }
    const counts = new Map<string, number>();
    for (const token of want) counts.set(token, (counts.get(token) ?? 0) + 1);
    let common = 0;
    for (const token of got) {
      const left = counts.get(token) ?? 0;
      if (left > 0) {
        common += 1;
        counts.set(token, left - 1);
      }
    }
    if (common === 0) continue;
    const precision = common / got.length;
    const recall = common / want.length;
    best = Math.max(best, (2 * precision * recall) / (precision + recall));
  }
  return best;
}

/**
 * Unbiased pass@k (Chen et al. 2021): 1 - C(n-c, k) / C(n, k) for n samples of which c passed,
 * computed as 1 - prod_{i=n-c+1..n} (1 - k/i) to stay stable for large n.
 */
export function passAtK(n: number, c: number, k: number): number {
  if (k > n) throw new Error(`pass@${k} needs at least ${k} samples, got ${n}`);
  if (n - c < k) return 1;
  let product = 1;
  for (let i = n - c + 1; i <= n; i++) product *= 1 - k / i;
  return 1 - product;
}

/** Bits per byte of a continuation: -log p / (ln 2 * UTF-8 bytes). Lower is better. */
export function bitsPerByte(logprob: number, text: string): number {
  return -logprob / (Math.LN2 * Math.max(1, Buffer.byteLength(text, "utf8")));
}
