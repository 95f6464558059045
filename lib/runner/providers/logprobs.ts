import { isPlainObject } from "../task";

/** A token the endpoint scored, with the alternatives it returned for that position (most likely first). */
export interface TokenLogprob {
  token: string;
  /** null for the first token of an echoed prompt, which has no context to be scored in. */
  logprob: number | null;
  /** Where the token starts in the choice's text (its prompt too when echoed). */
  offset: number;
  top: { token: string; logprob: number }[];
}

/**
 * The two shapes OpenAI-compatible servers put in a completion choice's `logprobs`: "legacy"
 * (`tokens`, `token_logprobs`, `top_logprobs` as objects, `text_offset`: OpenAI's completions API,
 * vLLM) and "chat" (`content[]` of `{token, logprob, top_logprobs[]}`: the chat API, and
 * llama-server's completions too).
 */
export type LogprobShape = "legacy" | "chat";

export interface ParsedLogprobs {
  shape: LogprobShape;
  tokens: TokenLogprob[];
}

const byLikelihood = (a: { logprob: number }, b: { logprob: number }) => b.logprob - a.logprob;

function legacy(raw: Record<string, unknown>): TokenLogprob[] | null {
  const { tokens, token_logprobs: logprobs, text_offset: offsets, top_logprobs: top } = raw;
  if (!Array.isArray(tokens) || !Array.isArray(logprobs) || logprobs.length !== tokens.length) return null;
  let offset = 0;
  return tokens.map((token: unknown, i) => {
    const text = String(token);
    const at = Array.isArray(offsets) && typeof offsets[i] === "number" ? offsets[i] : offset;
    offset = at + text.length;
    const alternatives = Array.isArray(top) && isPlainObject(top[i]) ? Object.entries(top[i] as Record<string, unknown>) : [];
    return {
      token: text,
      logprob: typeof logprobs[i] === "number" ? logprobs[i] : null,
      offset: at,
      top: alternatives.flatMap(([t, lp]) => (typeof lp === "number" ? [{ token: t, logprob: lp }] : [])).sort(byLikelihood),
    };
  });
}

function chat(raw: Record<string, unknown>): TokenLogprob[] | null {
  if (!Array.isArray(raw.content)) return null;
  let offset = 0;
  return raw.content.map((entry: unknown) => {
    const e = isPlainObject(entry) ? entry : {};
    const token = String(e.token ?? "");
    const at = offset;
    offset += token.length;
    const top = Array.isArray(e.top_logprobs) ? e.top_logprobs : [];
    return {
      token,
      logprob: typeof e.logprob === "number" ? e.logprob : null,
      offset: at,
      top: top.flatMap((t: unknown) => (isPlainObject(t) && typeof t.logprob === "number" ? [{ token: String(t.token ?? ""), logprob: t.logprob }] : [])).sort(byLikelihood),
    };
  });
}

/** A choice's `logprobs` in either shape, or null when it holds none (absent, null, or neither shape). */
export function parseLogprobs(raw: unknown): ParsedLogprobs | null {
  if (!isPlainObject(raw)) return null;
  const asLegacy = legacy(raw);
  if (asLegacy) return { shape: "legacy", tokens: asLegacy };
  const asChat = chat(raw);
  return asChat ? { shape: "chat", tokens: asChat } : null;
}
