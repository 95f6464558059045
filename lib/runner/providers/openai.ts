import OpenAI from "openai";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { ResponseFieldError } from "./errors";
import { keepAliveFetch } from "./keep-alive-fetch";
import { parseLogprobs, type TokenLogprob } from "./logprobs";
import type { ChatRequest, ChatTurn, GenerateRequest, Generation, Likelihood, LikelihoodRequest, NextToken, NextTokenRequest, Provider, Usage } from "./types";

export interface EndpointOptions {
  /** Base URL of the OpenAI-compatible API, e.g. http://127.0.0.1:8000/v1 */
  baseURL: string;
  apiKey: string | null;
  timeoutMs: number;
}

/** An SDK client whose retries are ours (classified, counted, recorded), not the SDK's. */
export function openaiClient({ baseURL, apiKey, timeoutMs }: EndpointOptions): OpenAI {
  // Local servers (vLLM, llama.cpp, Ollama) accept any key; the SDK insists on one being set.
  return new OpenAI({ baseURL, apiKey: apiKey ?? "no-key", timeout: timeoutMs, maxRetries: 0, fetch: keepAliveFetch() });
}

/**
 * Runs one SDK call under its own signal, linked to the run's signal and unlinked when the call
 * ends. The SDK adds an abort listener to whatever signal it is given and never removes it: handed
 * the run's long-lived signal, every request would leave one behind (a leak that grows with the run).
 */
async function perRequest<T>(run: AbortSignal, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const own = new AbortController();
  const abort = () => own.abort(run.reason);
  if (run.aborted) abort();
  else run.addEventListener("abort", abort, { once: true });
  try {
    return await call(own.signal);
  } finally {
    run.removeEventListener("abort", abort);
  }
}

/**
 * An OpenAI-compatible endpoint through the official SDK: chat completions, completions,
 * log-likelihoods of continuations from completions with `echo` + `logprobs` (as vLLM serves them),
 * and the next token's top log-probabilities (llama-server too). Logprobs are read in either shape.
 */
export class OpenAICompatibleProvider implements Provider {
  constructor(
    private readonly client: OpenAI,
    readonly model: string,
    readonly endpoint: string,
  ) {}

  async generate(request: GenerateRequest, signal: AbortSignal): Promise<Generation> {
    const { rendered } = request;
    const common = samplingParams(this.model, request);
    if (rendered.kind === "chat") {
      const response = await perRequest(signal, (own) => this.client.chat.completions.create({ ...common, messages: rendered.messages }, { signal: own }));
      const choice = response.choices?.[0];
      if (!choice) throw new ResponseFieldError(this.endpoint, "choices", "a generation needs choices[0]");
      return { text: choice.message?.content ?? "", ...usage(response.usage) };
    }
    const response = await perRequest(signal, (own) => this.client.completions.create({ ...common, prompt: rendered.prompt }, { signal: own }));
    const choice = response.choices?.[0];
    if (!choice) throw new ResponseFieldError(this.endpoint, "choices", "a generation needs choices[0]");
    return { text: choice.text ?? "", ...usage(response.usage) };
  }

  async chat(request: ChatRequest, signal: AbortSignal): Promise<ChatTurn> {
    const { messages, tools } = request;
    const response = await perRequest(signal, (own) =>
      this.client.chat.completions.create({ ...samplingParams(this.model, request), messages: messages.map(toSdkMessage), ...(tools.length > 0 ? { tools } : {}) }, { signal: own }),
    );
    const choice = response.choices?.[0];
    if (!choice) throw new ResponseFieldError(this.endpoint, "choices", "a generation needs choices[0]");
    const calls = (choice.message?.tool_calls ?? []).flatMap((c) => (c.type === "function" ? [{ id: c.id, name: c.function.name, arguments: c.function.arguments }] : []));
    return { content: choice.message?.content ?? "", tool_calls: calls, finish_reason: choice.finish_reason ?? null, ...usage(response.usage) };
  }

  async loglikelihoods(requests: readonly LikelihoodRequest[], signal: AbortSignal): Promise<Likelihood[] & Usage> {
    const response = await perRequest(signal, (own) =>
      this.client.completions.create(
        { model: this.model, prompt: requests.map((r) => r.context + r.continuation), max_tokens: 1, temperature: 0, echo: true, logprobs: 1 },
        { signal: own },
      ),
    );
    const generatedPerPrompt = Math.max(1, Math.round((response.usage?.completion_tokens ?? requests.length) / requests.length));
    const needs = "rc tasks need the prompt's log-probabilities (completions with echo and logprobs, as vLLM serves them)";
    const results: Likelihood[] = requests.map((request, i) => {
      const choice = response.choices?.find((c) => c.index === i) ?? response.choices?.[i];
      if (!choice) throw new ResponseFieldError(this.endpoint, `choices[${i}]`, `${requests.length} prompts were sent in one request, ${response.choices?.length ?? 0} choices came back; ${needs}`);
      const parsed = parseLogprobs(choice.logprobs);
      if (!parsed) throw new ResponseFieldError(this.endpoint, `choices[${i}].logprobs`, needs);
      if (parsed.tokens.length <= generatedPerPrompt) throw new ResponseFieldError(this.endpoint, `the prompt's tokens in choices[${i}].logprobs`, `echo was ignored; ${needs}`);
      return continuationLikelihood(parsed.tokens, request.context.length, generatedPerPrompt);
    });
    return Object.assign(results, usage(response.usage));
  }

  async nextToken({ prompt, top }: NextTokenRequest, signal: AbortSignal): Promise<NextToken> {
    const response = await perRequest(signal, (own) => this.client.completions.create({ model: this.model, prompt, max_tokens: 1, temperature: 0, logprobs: top }, { signal: own }));
    const needs = `multiple choice by log-probabilities needs the next token's ${top} most likely alternatives (completions with logprobs: ${top})`;
    const choice = response.choices?.[0];
    if (!choice) throw new ResponseFieldError(this.endpoint, "choices", needs);
    const first = parseLogprobs(choice.logprobs)?.tokens[0];
    if (!first) throw new ResponseFieldError(this.endpoint, "choices[0].logprobs", needs);
    if (first.top.length === 0) throw new ResponseFieldError(this.endpoint, "the top log-probabilities in choices[0].logprobs", needs);
    return { top: first.top.slice(0, top), ...usage(response.usage) };
  }
}

/**
 * Sums the log-probabilities of the echoed tokens that start at or after the end of the context,
 * leaving out the tokens the endpoint generated after the prompt (as lm-eval-harness does).
 */
export function continuationLikelihood(echoed: readonly TokenLogprob[], contextChars: number, generated: number): Likelihood {
  const end = echoed.length - generated;
  let logprob = 0;
  let tokens = 0;
  for (let i = 0; i < end; i++) {
    if (echoed[i].offset < contextChars) continue;
    logprob += echoed[i].logprob ?? 0;
    tokens += 1;
  }
  if (tokens === 0) throw new Error("no echoed token starts inside the continuation; the context and continuation could not be told apart");
  return { logprob, tokens };
}

/** The sampling fields every generation request sends; empty stop lists and unset seeds are left out. */
function samplingParams(model: string, { temperature, top_p, max_tokens, stop, seed }: Omit<GenerateRequest, "rendered">) {
  return { model, temperature, top_p, max_tokens, ...(stop.length > 0 ? { stop } : {}), ...(seed !== null ? { seed } : {}) };
}

function toSdkMessage(message: ChatRequest["messages"][number]): ChatCompletionMessageParam {
  if (message.role !== "assistant" || !message.tool_calls?.length) return message as ChatCompletionMessageParam;
  return { role: "assistant", content: message.content, tool_calls: message.tool_calls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.arguments } })) };
}

function usage(u: { prompt_tokens?: number; completion_tokens?: number } | undefined | null): Usage {
  return { input_tokens: u?.prompt_tokens ?? null, output_tokens: u?.completion_tokens ?? null };
}
