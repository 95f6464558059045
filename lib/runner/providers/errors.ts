import { APIConnectionError, APIError } from "openai";

/** A request the server refuses for a reason every other request shares: the run must stop. */
export class FatalRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FatalRequestError";
  }
}

/** A response lacks a field the request needs: not retried (the server would answer the same), recorded per question. */
export class ResponseFieldError extends Error {
  constructor(endpoint: string, field: string, why: string) {
    super(`the endpoint ${endpoint} answered without ${field}: ${why}`);
    this.name = "ResponseFieldError";
  }
}

/** What to do about a failed request. */
export type Verdict = { retry: true; reason: string; afterMs: number | null } | { retry: false; fatal: boolean; reason: string };

const LENGTH = /maximum context length|context length|too long|max_tokens|max_completion_tokens|exceeds|longer than/i;

function retryAfterMs(error: APIError): number | null {
  const header = error.headers?.get?.("retry-after");
  const seconds = header ? Number(header) : NaN;
  return Number.isFinite(seconds) ? Math.min(seconds * 1000, 60_000) : null;
}

/**
 * Sorts an error into retry (429, 5xx, timeouts, resets, a body cut short), fatal (the server
 * refuses this kind of request: length, auth, unknown model, bad parameters) or give up.
 */
export function classify(error: unknown): Verdict {
  if (error instanceof APIConnectionError) return { retry: true, reason: error.message.includes("timed out") ? "request timed out" : `connection failed (${causeOf(error)})`, afterMs: null };
  if (error instanceof APIError) {
    const status = error.status ?? 0;
    const message = serverMessage(error);
    if (status === 408 || status === 409 || status === 429 || status >= 500) return { retry: true, reason: `HTTP ${status}${message ? `: ${message}` : ""}`, afterMs: retryAfterMs(error) };
    if (status === 400 && LENGTH.test(message)) {
      return { retry: false, fatal: true, reason: `the server rejected a request for its length: ${message}. Lower sampling.max_tokens (-o sampling.max_tokens=N) or use fewer few-shot examples (-o fewshot.n=N)` };
    }
    if (status === 401 || status === 403) return { retry: false, fatal: true, reason: `the server refused the credentials (HTTP ${status}): ${message}; set the API key in the variable named by --api-key-env` };
    if (status === 404) return { retry: false, fatal: true, reason: `the server has no such model or route (HTTP 404): ${message}; check -m and --served-model` };
    return { retry: false, fatal: true, reason: `the server rejected the request (HTTP ${status}): ${message}` };
  }
  if (error instanceof ResponseFieldError) return { retry: false, fatal: false, reason: error.message };
  // A body cut short surfaces as a parse error or a terminated stream, outside the SDK's own classes.
  const text = `${(error as Error)?.name}: ${(error as Error)?.message}`;
  if (/SyntaxError|terminated|socket|ECONNRESET|other side closed|premature|aborted|Unexpected end/i.test(text)) return { retry: true, reason: `response cut short (${(error as Error).message})`, afterMs: null };
  return { retry: false, fatal: false, reason: (error as Error)?.message ?? String(error) };
}

/** The most specific reason down an error's cause chain: a system code (ECONNREFUSED) if any. */
export function causeOf(error: Error): string {
  let messages = error.message;
  for (let e: unknown = error, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
    messages = (e as Error).message ?? messages;
  }
  return messages;
}

function serverMessage(error: APIError): string {
  const body = error.error as { message?: string } | undefined;
  return (body?.message ?? error.message ?? "").replace(/\s+/g, " ").trim().slice(0, 400);
}

export interface RetryPolicy {
  maxRetries: number;
  /** First backoff; doubles each retry, with jitter. */
  backoffMs: number;
}

/**
 * Runs `attempt` until it succeeds, a fatal error (thrown as FatalRequestError), or the retries
 * are spent (thrown as an Error saying how often it failed and why). Never returns a wrong value.
 */
export async function withRetries<T>(attempt: () => Promise<T>, policy: RetryPolicy, signal: AbortSignal, endpoint?: string): Promise<T> {
  // a question's recorded error says which endpoint failed it
  const at = endpoint ? ` at ${endpoint}` : "";
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (signal.aborted) throw error;
      const verdict = classify(error);
      if (!verdict.retry) throw verdict.fatal ? new FatalRequestError(verdict.reason) : error instanceof ResponseFieldError ? error : new Error(`${verdict.reason}${at}`);
      if (tries >= policy.maxRetries) throw new Error(`${verdict.reason}${at}; gave up after ${tries + 1} attempt${tries === 0 ? "" : "s"}`);
      const backoff = verdict.afterMs ?? policy.backoffMs * 2 ** tries * (0.5 + Math.random());
      await sleep(backoff, signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = () => (clearTimeout(timer), resolve());
    const timer = setTimeout(() => (signal.removeEventListener("abort", onAbort), resolve()), ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
