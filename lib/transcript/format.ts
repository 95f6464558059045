import { TranscriptEntry } from "@/lib/schema/transcript";

/** One block of a transcript as the viewer shows it: a one-line summary, then text shown on demand. */
export interface TranscriptItem {
  kind: "message" | "tool_call" | "tool_result" | "stop" | "tests" | "judge" | "choice" | "other";
  /** The one-line heading, shown while collapsed. */
  summary: string;
  /** Plain text shown when expanded (rendered as text, never as HTML). */
  body: string;
  tone: "neutral" | "ok" | "error";
}

export interface TranscriptView {
  items: TranscriptItem[];
  /** "3 turns, 2 tool calls (1 failed)" */
  headline: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Arguments as indented JSON when they parse, else as the model wrote them. */
function prettyArguments(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

const tokens = (input: number | null | undefined, output: number | null | undefined) => (input != null || output != null ? `, ${input ?? "?"} in / ${output ?? "?"} out tokens` : "");

function itemsOf(entry: TranscriptEntry): TranscriptItem[] {
  switch (entry.kind) {
    case "message": {
      const calls = entry.tool_calls ?? [];
      const timing = entry.latency_ms !== undefined ? ` (${entry.latency_ms} ms${tokens(entry.input_tokens, entry.output_tokens)})` : "";
      const text = entry.content ?? "";
      const message: TranscriptItem = { kind: "message", summary: `${entry.role}${timing}: ${firstLine(text) || (calls.length ? `calls ${calls.map((c) => c.name).join(", ")}` : "(empty)")}`, body: text, tone: "neutral" };
      const callItems = calls.map((c): TranscriptItem => ({ kind: "tool_call", summary: `→ ${c.name} (${c.id})`, body: prettyArguments(c.arguments), tone: "neutral" }));
      return [message, ...callItems];
    }
    case "tool":
      return [{ kind: "tool_result", summary: `← ${entry.name} ${entry.error ? `failed: ${entry.error}` : "ok"} (${entry.duration_ms} ms)`, body: entry.output || entry.error || "", tone: entry.error ? "error" : "ok" }];
    case "stop":
      return [{ kind: "stop", summary: `stopped: ${entry.detail}`, body: "", tone: entry.reason === "answer" ? "neutral" : "error" }];
    case "tests":
      return [{ kind: "tests", summary: `tests ${entry.passed ? "passed" : `failed${entry.reason ? `: ${entry.reason}` : ""}`} (${entry.duration_ms} ms)`, body: entry.output, tone: entry.passed ? "ok" : "error" }];
    case "judge":
      return [{ kind: "judge", summary: `judge ${entry.judge} (${entry.model}): ${entry.verdict}${entry.score === null ? "" : `, score ${entry.score}`}`, body: entry.rationale, tone: entry.score === null ? "error" : entry.score >= 0.5 ? "ok" : "error" }];
  }
}

function firstLine(text: string): string {
  const line = text.split("\n").find((l) => l.trim() !== "")?.trim() ?? "";
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

/**
 * A stored choice: a rank-classification continuation with its log-likelihood, or an answer
 * letter with its next-token log-probability (null: not among the top alternatives).
 */
function choiceItem(entry: Record<string, unknown>): TranscriptItem | null {
  if (typeof entry.continuation !== "string" || (typeof entry.logprob !== "number" && entry.logprob !== null)) return null;
  const logprob = entry.logprob === null ? "not in the top k" : `log p ${entry.logprob.toFixed(4)}`;
  return { kind: "choice", summary: `${entry.gold ? "gold " : ""}choice ${JSON.stringify(entry.continuation.trim()).slice(0, 80)}: ${logprob}`, body: entry.continuation, tone: entry.gold ? "ok" : "neutral" };
}

/**
 * A record's transcript (parsed JSON or its text) as readable items: messages, tool calls with
 * their arguments, tool output and errors, why the episode stopped, test and judge verdicts.
 * Whatever it does not recognise is shown as JSON rather than dropped.
 */
export function formatTranscript(value: unknown): TranscriptView | null {
  let entries = value;
  if (typeof value === "string") {
    try {
      entries = JSON.parse(value);
    } catch {
      return { items: [{ kind: "other", summary: "unreadable transcript", body: value, tone: "error" }], headline: "unreadable transcript" };
    }
  }
  if (!Array.isArray(entries) || entries.length === 0) return null;
  const items = entries.flatMap((raw): TranscriptItem[] => {
    const parsed = TranscriptEntry.safeParse(raw);
    if (parsed.success) return itemsOf(parsed.data);
    const choice = raw !== null && typeof raw === "object" ? choiceItem(raw as Record<string, unknown>) : null;
    return [choice ?? { kind: "other", summary: "entry", body: JSON.stringify(raw, null, 2), tone: "neutral" }];
  });
  const turns = items.filter((i) => i.kind === "message" && i.summary.startsWith("assistant")).length;
  const results = items.filter((i) => i.kind === "tool_result");
  const failed = results.filter((i) => i.tone === "error").length;
  const parts = [turns ? plural(turns, "turn") : null, results.length ? `${plural(results.length, "tool call")}${failed ? ` (${failed} failed)` : ""}` : null, items.some((i) => i.kind === "choice") ? plural(items.length, "choice") : null];
  const verdicts = items.filter((i) => i.kind === "tests" || i.kind === "judge").map((i) => i.summary.split(" (")[0]);
  return { items, headline: [...parts.filter(Boolean), ...verdicts].join(", ") || plural(items.length, "entry") };
}
