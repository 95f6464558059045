import type OpenAI from "openai";
import { withRetries, type RetryPolicy } from "./errors";
import { parseLogprobs, type LogprobShape } from "./logprobs";

/** Whether the endpoint does something, and if not, why (what it answered). */
export type Support = { ok: true } | { ok: false; why: string };

/** What an endpoint does of what tasks need, measured by asking it before a run starts. */
export interface Capabilities {
  endpoint: string;
  /** What serves it when its /models says so (owned_by): llama-server, vLLM, SGLang. */
  server: string | null;
  chat: Support;
  completions: Support;
  /** The shape of a completion's logprobs; null when none came back. */
  logprobs: LogprobShape | null;
  /** Alternatives it returned for the next token when asked for TOP. */
  topLogprobs: number;
  /** max_tokens=1 gave at most one token. */
  maxTokens: Support;
  /** Two prompts in one completions request gave two choices. */
  batch: Support;
  /** `echo` with logprobs gave the prompt's tokens back: what rc tasks and bits per byte need. */
  promptLogprobs: Support;
  /** How long probing took, in milliseconds. */
  ms: number;
}

const TOP = 5;
const PROMPTS = ["The capital of France is", "One, two, three,"];

/** The probe's three requests (bodies of /completions, /completions, /chat/completions). */
export function probeRequests(model: string) {
  return {
    next: { model, prompt: PROMPTS[0], max_tokens: 1, temperature: 0, logprobs: TOP },
    echo: { model, prompt: PROMPTS, max_tokens: 1, temperature: 0, echo: true, logprobs: 1 },
    chat: { model, messages: [{ role: "user" as const, content: "Say yes." }], max_tokens: 1, temperature: 0 },
  };
}
const SERVERS: Record<string, string> = { llamacpp: "llama-server", vllm: "vLLM", sglang: "SGLang" };

/** The server's name from what /models says owns the model, when it is one we know. */
export function serverName(ownedBy: string | null): string | null {
  return ownedBy === null ? null : (SERVERS[ownedBy] ?? null);
}

const yes: Support = { ok: true };
const no = (why: string): Support => ({ ok: false, why });
const firstLine = (error: unknown) => String((error as Error)?.message ?? error).split("\n")[0].slice(0, 300);

/**
 * Asks the endpoint three one-token questions at once (a completion with top logprobs, two
 * echoed prompts in one request, a chat turn), each with the run's retry policy, and reports
 * what came back. A refused request is a missing capability, never an exception.
 */
export async function probeEndpoint(client: OpenAI, endpoint: string, model: string, ownedBy: string | null, policy: RetryPolicy, signal: AbortSignal): Promise<Capabilities> {
  const t0 = performance.now();
  const ask = <T>(call: () => Promise<T>) => withRetries(call, policy, signal).then((value) => ({ value, error: null }), (error: unknown) => ({ value: null, error }));
  const requests = probeRequests(model);
  const [next, echo, chat] = await Promise.all([
    ask(() => client.completions.create(requests.next)),
    ask(() => client.completions.create(requests.echo)),
    ask(() => client.chat.completions.create(requests.chat)),
  ]);

  const parsed = parseLogprobs(next.value?.choices?.[0]?.logprobs);
  const generated = parsed?.tokens.length ?? next.value?.usage?.completion_tokens ?? null;
  const echoed = (echo.value?.choices ?? []).map((c) => parseLogprobs(c.logprobs));
  const promptLogprobs = (): Support => {
    if (echo.error) return no(`the echo request failed: ${firstLine(echo.error)}`);
    if (echoed.length === 0 || echoed.some((p) => p === null)) return no("no logprobs came back");
    // With echo honoured a choice holds the prompt's tokens and the generated one.
    return echoed.every((p) => p!.tokens.length > 1) ? yes : no("echo was ignored: only the generated token came back");
  };
  return {
    endpoint,
    server: serverName(ownedBy),
    chat: chat.error ? no(firstLine(chat.error)) : chat.value?.choices?.length ? yes : no("no choices came back"),
    completions: next.error ? no(firstLine(next.error)) : next.value?.choices?.length ? yes : no("no choices came back"),
    logprobs: parsed?.shape ?? null,
    topLogprobs: parsed?.tokens[0]?.top.length ?? 0,
    maxTokens: generated === null ? no("no completion to count") : generated <= 1 ? yes : no(`max_tokens=1 gave ${generated} tokens`),
    batch: echo.error ? no(`the request failed: ${firstLine(echo.error)}`) : new Set(echo.value?.choices.map((c) => c.index)).size === PROMPTS.length ? yes : no(`${PROMPTS.length} prompts gave ${echo.value?.choices.length ?? 0} choices`),
    promptLogprobs: promptLogprobs(),
    ms: performance.now() - t0,
  };
}

const said = (support: Support) => (support.ok ? "yes" : `no (${support.why})`);

/** The probe's findings as lines for `--dry-run` and the launch log. */
export function describeCapabilities(caps: Capabilities): string[] {
  const shape = caps.logprobs === null ? "none" : `${caps.logprobs === "legacy" ? "legacy (tokens, token_logprobs)" : "chat-style (content[])"}, ${caps.topLogprobs} alternatives per token when ${TOP} are asked for`;
  return [
    `endpoint probe of ${caps.endpoint}${caps.server ? ` (${caps.server})` : ""}, ${(caps.ms / 1000).toFixed(2)} s:`,
    `  chat completions: ${said(caps.chat)}`,
    `  completions: ${said(caps.completions)}`,
    `  completion logprobs: ${shape}`,
    `  prompt log-probabilities (echo): ${said(caps.promptLogprobs)}`,
    `  several prompts in one request: ${said(caps.batch)}`,
    `  max_tokens honoured: ${said(caps.maxTokens)}`,
  ];
}
