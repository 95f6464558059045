import type { Extractor } from "../task";

const NUMBER = /-?[$]?\d[\d,]*(?:\.\d+)?/g;

/** "1,234.50" -> "1234.5", "$18" -> "18", "18.00" -> "18": numbers compare by value. */
export function normalizeNumber(text: string): string {
  const cleaned = text.replace(/[$,]/g, "").replace(/\.$/, "");
  const value = Number(cleaned);
  return Number.isFinite(value) ? String(value) : cleaned;
}

/** GSM8K style: the number after "####", else after "the answer is", else the last number. */
function extractNumber(response: string): string | null {
  const marked = /####\s*(-?[$]?\d[\d,]*(?:\.\d+)?)/.exec(response) ?? /answer is[:\s]*\$?(-?[$]?\d[\d,]*(?:\.\d+)?)/i.exec(response);
  if (marked) return normalizeNumber(marked[1]);
  const all = response.match(NUMBER);
  return all ? normalizeNumber(all[all.length - 1]) : null;
}

/**
 * A choice letter: "the answer is (B)", a leading "B." or "(B)", else the first lone capital
 * that is not the pronoun "I" starting a sentence ("I think ...").
 */
function extractLetter(response: string): string | null {
  const match =
    /answer is[:\s]*\(?([A-Z])\b\)?/i.exec(response) ??
    /^\s*\(?(?!I [a-z])([A-Z])(?:[.):]|\s|$)/.exec(response) ??
    /\b(?!I [a-z])([A-Z])\b/.exec(response);
  return match ? match[1].toUpperCase() : null;
}

/** The phrase after the last "the answer is" (BIG-Bench Hard's CoT convention), else the first line. */
function extractAnswerPhrase(response: string): string | null {
  const at = response.toLowerCase().lastIndexOf("answer is");
  const tail = at === -1 ? firstLine(response) : response.slice(at + "answer is".length).split("\n")[0];
  const phrase = tail?.replace(/^[:\s]+/, "").replace(/[.\s]+$/, "").trim();
  return phrase ? phrase : null;
}

/** The last fenced code block's body, else the whole response. */
function extractCodeBlock(response: string): string | null {
  const blocks = [...response.matchAll(/```[\w+-]*\n([\s\S]*?)```/g)];
  const code = blocks.length > 0 ? blocks[blocks.length - 1][1] : response;
  return code.trim() === "" ? null : code.replace(/\s+$/, "");
}

function firstLine(response: string): string | null {
  const line = response.split("\n").find((l) => l.trim() !== "");
  return line === undefined ? null : line.trim();
}

/** The answer pulled out of a response; null when the response holds none. */
export function extract(extractor: Extractor, response: string): string | null {
  switch (extractor) {
    case "number":
      return extractNumber(response);
    case "letter":
      return extractLetter(response);
    case "answer_phrase":
      return extractAnswerPhrase(response);
    case "code_block":
      return extractCodeBlock(response);
    case "text":
      return firstLine(response);
  }
}
