import type { Question, TaskConfig } from "../task";
import { fill, LETTERS } from "./template";

export type ChatMessage = { role: "system" | "user" | "assistant"; content: string };

/** A question rendered as the model will see it. */
export type Rendered = { kind: "chat"; messages: ChatMessage[] } | { kind: "completion"; prompt: string };

/** The worked answer a few-shot exemplar shows after its prompt. */
function shotAnswer(config: TaskConfig, shot: Question): string {
  return fill(config.answer_template, { ...shot.fields, answer: shot.shotAnswer ?? shot.target });
}

/** The question's own prompt (the template filled in), the part the few-shot exemplars precede. */
export function questionPrompt(config: TaskConfig, question: Question): string {
  return fill(config.template, question.fields);
}

/**
 * Chat: each exemplar is a user turn and an assistant turn, then the question; the harness's
 * system prompt, if any, comes first. Completion: exemplars and question joined by blank lines.
 */
export function render(config: TaskConfig, question: Question, shots: readonly Question[], systemPrompt: string | null): Rendered {
  if (config.format === "chat") {
    const messages: ChatMessage[] = systemPrompt ? [{ role: "system", content: systemPrompt }] : [];
    for (const shot of shots) {
      messages.push({ role: "user", content: questionPrompt(config, shot) }, { role: "assistant", content: shotAnswer(config, shot).trim() });
    }
    messages.push({ role: "user", content: questionPrompt(config, question) });
    return { kind: "chat", messages };
  }
  const parts = shots.map((shot) => questionPrompt(config, shot) + shotAnswer(config, shot));
  parts.push(questionPrompt(config, question));
  return { kind: "completion", prompt: (systemPrompt ? `${systemPrompt}\n\n` : "") + parts.join("\n\n") };
}

/** The prompt as one text, as a record stores it. */
export function renderedText(rendered: Rendered): string {
  if (rendered.kind === "completion") return rendered.prompt;
  return rendered.messages.map((m) => `[${m.role}]\n${m.content}`).join("\n\n");
}

/** For rc: the continuation scored for each choice. */
export function continuations(config: TaskConfig, question: Question): string[] {
  return (question.choices ?? []).map((choice, i) => fill(config.continuation_template, { ...question.fields, choice, letter: LETTERS[i] }));
}
