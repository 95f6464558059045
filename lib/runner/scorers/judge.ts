import { z } from "zod";
import type { TranscriptEntry } from "@/lib/schema/transcript";
import type { Provider } from "../providers/types";
import type { Question } from "../task";

export type JudgeEntry = Extract<TranscriptEntry, { kind: "judge" }>;

/** How a judge prompt begins: the simulator recognises judge requests by it. */
export const JUDGE_PREAMBLE = "You are grading an answer to a question.";

const Verdict = z.object({ verdict: z.enum(["correct", "incorrect", "partial"]), score: z.number().min(0).max(1), rationale: z.string() });

export function judgePrompt(rubric: string, question: Question, response: string): string {
  return [
    JUDGE_PREAMBLE,
    `Rubric: ${rubric}`,
    `Question:\n${question.text}`,
    `Reference answer:\n${[question.target, ...(question.aliases ?? [])].join(" | ")}`,
    `Answer to grade:\n<answer>\n${response}\n</answer>`,
    'Reply with JSON only: {"verdict": "correct" | "incorrect" | "partial", "score": <0 to 1>, "rationale": "<one or two sentences>"}',
  ].join("\n\n");
}

/** The verdict in a judge's reply (JSON, possibly fenced or with text around it). */
export function parseVerdict(reply: string): z.infer<typeof Verdict> | null {
  const json = /\{[\s\S]*\}/.exec(reply)?.[0];
  if (!json) return null;
  try {
    const parsed = Verdict.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A judge model, named by the harness: an auxiliary provider asked with the task's rubric. */
export interface Judge {
  name: string;
  provider: Provider;
}

/**
 * Asks the judge about one answer, at temperature 0. A reply without a readable verdict is kept
 * as the rationale with a null score (unscored by the judge, never counted as wrong).
 */
export async function judgeAnswer(judge: Judge, rubric: string, question: Question, response: string, send: <T>(call: () => Promise<T>) => Promise<T>, signal: AbortSignal): Promise<JudgeEntry> {
  const prompt = judgePrompt(rubric, question, response);
  const reply = await send(() => judge.provider.generate({ rendered: { kind: "chat", messages: [{ role: "user", content: prompt }] }, temperature: 0, top_p: 1, max_tokens: 512, stop: [], seed: null }, signal));
  const verdict = parseVerdict(reply.text);
  if (!verdict) return { kind: "judge", judge: judge.name, model: judge.provider.model, verdict: "unreadable", score: null, rationale: `the judge's reply has no verdict in the asked JSON form: ${reply.text.slice(0, 500)}` };
  return { kind: "judge", judge: judge.name, model: judge.provider.model, ...verdict };
}
