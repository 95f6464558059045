import http from "node:http";
import type { AddressInfo } from "node:net";
import { mulberry32 } from "@/lib/stats/rng";
import { answersCorrectly, echoLogprobs, tokenize, unit, wrongAnswer } from "./answers";
import { QuestionIndex, type SimQuestion } from "./knowledge";
import { JUDGE_PREAMBLE } from "@/lib/runner/scorers/judge";
import { FAULT_KINDS, type FaultKind } from "./faults";

export interface SimCheckpoint {
  /** The model id it is served under. */
  name: string;
  /** Probability of answering a question correctly. */
  accuracy: number;
}

export { FAULT_KINDS, type FaultKind } from "./faults";

/** Where a tool-using conversation stands, for a scripted turn. */
export interface SimTurn {
  model: string;
  question: SimQuestion | null;
  /** Assistant turns already taken in this conversation. */
  turn: number;
  /** Names of the tools offered. */
  tools: string[];
  /** Results of the tool calls so far, in order. */
  toolResults: string[];
  /** The answer this checkpoint gives the question (right or wrong by its accuracy). */
  answer: string;
}

/** A scripted assistant turn: text, tool calls, or both. */
export interface SimReply {
  content?: string;
  tool_calls?: { name: string; arguments: string | Record<string, unknown> }[];
}

export interface SimOptions {
  checkpoints: SimCheckpoint[];
  questions?: readonly SimQuestion[];
  seed?: number;
  /** Share of requests (0-1) that fail with one of `faultKinds`. */
  faultRate?: number;
  faultKinds?: readonly FaultKind[];
  /** Added to every answer, to look like a real server. */
  latencyMs?: number;
  /** Prompt plus max_tokens beyond this many tokens is refused, as vLLM refuses it. */
  contextLength?: number;
  port?: number;
  /** Overrides the answer to a known question (e.g. hostile code for sandbox tests); null keeps the usual one. */
  answer?: (question: SimQuestion) => string | null;
  /**
   * Scripts conversations that offer tools: return the turn to give, or null for the default
   * (call run_python once with the answer's code when it is offered, then answer).
   */
  script?: (turn: SimTurn) => SimReply | null;
  /** Hears the Authorization header of every request, for tests that check which key was sent. */
  onAuthorization?: (header: string | null) => void;
  /** Hears of every completion request, for tests that check what was asked. */
  onRequest?: (event: { model: string; kind: "chat" | "completion" | "logprobs"; question: SimQuestion | null; fault: FaultKind | null }) => void;
}

export interface SimServer {
  /** Base URL of the OpenAI-compatible API, ending in /v1. */
  url: string;
  port: number;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

const error = (res: http.ServerResponse, status: number, message: string, type: string) => send(res, status, { object: "error", error: { message, type, code: status }, message, type, code: status });

/**
 * A simulated OpenAI-compatible server on loopback: several named checkpoints, each answering a
 * known question correctly with its own probability (seeded per question), over chat
 * completions, completions and echoed logprobs; with optional injected faults (429, 500, a
 * request that never answers, a body cut short) at a given rate.
 */
export async function startSim(options: SimOptions): Promise<SimServer> {
  const seed = options.seed ?? 2024;
  const index = new QuestionIndex(options.questions ?? []);
  const checkpoints = new Map(options.checkpoints.map((c) => [c.name, c]));
  const faultDraw = mulberry32(seed ^ 0x5eed);
  const kinds = options.faultKinds ?? FAULT_KINDS;
  const contextLength = options.contextLength ?? 8192;
  const held = new Set<http.ServerResponse>();

  const answerText = (model: SimCheckpoint, question: SimQuestion | null, sample: number | null) => {
    if (question === null) return "I do not know.";
    const scripted = options.answer?.(question);
    if (scripted !== undefined && scripted !== null) return scripted;
    return answersCorrectly(seed, model.name, model.accuracy, question, sample) ? question.target : wrongAnswer(seed, model.name, question);
  };

  function complete(body: Json, model: SimCheckpoint, kind: "chat" | "completion", res: http.ServerResponse, fault: FaultKind | null): void {
    const sample = typeof body.seed === "number" && Number(body.temperature ?? 0) > 0 ? body.seed : null;
    const now = Math.floor(Date.now() / 1000);
    if (kind === "chat") {
      const messages = (body.messages as { role: string; content: string | null }[]) ?? [];
      const prompt = messages.map((m) => m.content ?? "").join("\n");
      const lastUser = [...messages].reverse().find((m) => m.role === "user")?.content ?? "";
      const question = index.find(lastUser);
      options.onRequest?.({ model: model.name, kind, question, fault });
      const answer = lastUser.startsWith(JUDGE_PREAMBLE) ? judgeReply(lastUser) : answerText(model, question, sample);
      const tools = ((body.tools as { function: { name: string } }[] | undefined) ?? []).map((t) => t.function.name);
      const reply: SimReply = tools.length === 0 ? { content: answer } : agentTurn({ model: model.name, question, tools, answer, turn: messages.filter((m) => m.role === "assistant").length, toolResults: messages.filter((m) => m.role === "tool").map((m) => m.content ?? "") });
      const calls = (reply.tool_calls ?? []).map((c, i) => ({ id: `call_${now}_${i}`, type: "function", function: { name: c.name, arguments: typeof c.arguments === "string" ? c.arguments : JSON.stringify(c.arguments) } }));
      const content = reply.content ?? (calls.length ? null : "");
      return send(res, 200, {
        id: `chatcmpl-sim-${now}`,
        object: "chat.completion",
        created: now,
        model: model.name,
        choices: [{ index: 0, message: { role: "assistant", content, ...(calls.length ? { tool_calls: calls } : {}) }, finish_reason: calls.length ? "tool_calls" : "stop", logprobs: null }],
        usage: usage(prompt, content ?? JSON.stringify(calls)),
      });
    }
    const prompts = Array.isArray(body.prompt) ? (body.prompt as string[]) : [String(body.prompt ?? "")];
    if (body.echo && body.logprobs !== undefined && body.logprobs !== null) {
      const choices = prompts.map((prompt, i) => {
        const question = index.find(prompt);
        const favoured = question?.gold === undefined ? null : answersCorrectly(seed, model.name, model.accuracy, question, null) ? question.gold : wrongChoice(model, question);
        const echoed = echoLogprobs(prompt, question, favoured);
        const generated = " the";
        return {
          index: i,
          text: prompt + generated,
          finish_reason: "length",
          logprobs: { tokens: [...echoed.tokens, generated], token_logprobs: [...echoed.token_logprobs, -2], text_offset: [...echoed.text_offset, prompt.length], top_logprobs: null },
        };
      });
      options.onRequest?.({ model: model.name, kind: "logprobs", question: index.find(prompts[0]), fault });
      return send(res, 200, { id: `cmpl-sim-${now}`, object: "text_completion", created: now, model: model.name, choices, usage: { prompt_tokens: prompts.reduce((n, p) => n + tokenize(p).length, 0), completion_tokens: prompts.length, total_tokens: 0 } });
    }
    const question = index.find(prompts[0]);
    options.onRequest?.({ model: model.name, kind, question, fault });
    const text = ` ${answerText(model, question, sample)}`;
    return send(res, 200, { id: `cmpl-sim-${now}`, object: "text_completion", created: now, model: model.name, choices: [{ index: 0, text, finish_reason: "stop", logprobs: null }], usage: usage(prompts[0], text) });
  }

  /** A turn of a conversation with tools: the script's, else try the answer's code once, then answer. */
  function agentTurn(turn: SimTurn): SimReply {
    const scripted = options.script?.(turn);
    if (scripted) return scripted;
    const code = /```(?:python)?\n([\s\S]*?)```/.exec(turn.answer)?.[1];
    if (turn.turn === 0 && code && turn.tools.includes("run_python")) return { content: "Let me run it first.", tool_calls: [{ name: "run_python", arguments: { code } }] };
    return { content: turn.answer };
  }

  function wrongChoice(model: SimCheckpoint, question: SimQuestion): number {
    const n = question.choices!.length;
    const offset = 1 + Math.floor(unit(seed, "wrong-choice", model.name, question.text) * (n - 1));
    return (question.gold! + offset) % n;
  }

  /** Applies an injected fault; returns true when the request is consumed by it. */
  function injectFault(fault: FaultKind, res: http.ServerResponse): boolean {
    switch (fault) {
      case "429":
        res.setHeader("retry-after", "0");
        error(res, 429, "simulated rate limit", "RateLimitError");
        return true;
      case "500":
        error(res, 500, "simulated server error", "InternalServerError");
        return true;
      case "timeout":
        // Never answers; the client's timeout ends it (or the server closing).
        held.add(res);
        res.on("close", () => held.delete(res));
        return true;
      case "truncated": {
        const text = JSON.stringify({ id: "cmpl-sim-cut", object: "text_completion", choices: [{ index: 0, text: "cut short", finish_reason: "stop" }] });
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
        res.write(text.slice(0, Math.floor(text.length / 2)));
        res.socket?.destroy();
        return true;
      }
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://sim");
    options.onAuthorization?.(req.headers.authorization ?? null);
    if (req.method === "GET" && url.pathname === "/v1/models") {
      return send(res, 200, { object: "list", data: [...checkpoints.keys()].map((id) => ({ id, object: "model", created: 0, owned_by: "evalbench-sim" })) });
    }
    const kind = url.pathname === "/v1/chat/completions" ? "chat" : url.pathname === "/v1/completions" ? "completion" : null;
    if (req.method !== "POST" || kind === null) return error(res, 404, `no route ${req.method} ${url.pathname}`, "NotFoundError");
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: Json;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Json;
    } catch {
      return error(res, 400, "request body is not JSON", "BadRequestError");
    }
    const model = checkpoints.get(String(body.model));
    if (!model) return error(res, 404, `The model \`${String(body.model)}\` does not exist.`, "NotFoundError");
    const promptText = kind === "chat" ? ((body.messages as { content: string }[]) ?? []).map((m) => m.content).join("\n") : [body.prompt].flat().join("\n");
    const promptTokens = tokenize(promptText).length;
    const maxTokens = Number(body.max_tokens ?? 16);
    if (promptTokens + maxTokens > contextLength) {
      return error(res, 400, `This model's maximum context length is ${contextLength} tokens. However, you requested ${promptTokens + maxTokens} tokens (${promptTokens} in the messages, ${maxTokens} in the completion). Please reduce the length of the messages or completion.`, "BadRequestError");
    }
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    const fault = options.faultRate && faultDraw() < options.faultRate ? kinds[Math.floor(faultDraw() * kinds.length)] : null;
    if (fault) {
      options.onRequest?.({ model: model.name, kind, question: null, fault });
      injectFault(fault, res);
      return;
    }
    complete(body, model, kind, res, null);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => error(res, 500, `simulator error: ${(e as Error).message}`, "InternalServerError"));
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A judge's verdict: correct when the graded answer contains a reference answer. */
function judgeReply(prompt: string): string {
  const references = (/Reference answer:\n(.*)/.exec(prompt)?.[1] ?? "").split(" | ").map((r) => r.trim().toLowerCase()).filter(Boolean);
  const answer = (/<answer>\n([\s\S]*?)\n<\/answer>/.exec(prompt)?.[1] ?? "").toLowerCase();
  const correct = references.some((r) => answer.includes(r));
  return JSON.stringify({ verdict: correct ? "correct" : "incorrect", score: correct ? 1 : 0, rationale: correct ? "The answer states the reference answer." : "The answer does not contain the reference answer." });
}

function usage(prompt: string, text: string) {
  const prompt_tokens = tokenize(prompt).length;
  const completion_tokens = Math.max(1, tokenize(text).length);
  return { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens };
}
