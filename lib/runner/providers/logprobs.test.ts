import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classify, ResponseFieldError } from "./errors";
import { checkEndpoint } from "./health";
import { parseLogprobs } from "./logprobs";
import { openaiClient, OpenAICompatibleProvider } from "./openai";
import { probeEndpoint } from "./probe";
import { LLAMA_SERVER_CAPABILITIES } from "../testing/llama-server-capabilities";

/** llama-server's answers, recorded by real-server/record-fixtures.ts: each request with its response. */
const DIR = path.join(import.meta.dirname, "fixtures", "llama-server");
interface Recorded {
  request: { method: string; path: string; body?: unknown };
  status?: number;
  response: Record<string, unknown> & { choices?: { logprobs: unknown; text?: string }[] };
}
const recorded = (name: string): Recorded => JSON.parse(fs.readFileSync(path.join(DIR, `${name}.json`), "utf8"));
const all = fs.readdirSync(DIR).map((f) => recorded(f.replace(/\.json$/, "")));

/** Answers exactly the recorded requests with the recorded responses, and 404 to anything else. */
let replay: { url: string; close: () => Promise<void> };
beforeAll(async () => {
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c));
    req.on("end", () => {
      const route = req.url!.replace(/^\/v1/, "");
      const hit = all.find((r) => r.request.method === req.method && r.request.path === route && (req.method === "GET" || isDeepStrictEqual(r.request.body, JSON.parse(body))));
      res.writeHead(hit ? (hit.status ?? 200) : 404, { "content-type": "application/json" });
      res.end(JSON.stringify(hit ? hit.response : { error: { message: `no recorded answer to ${req.method} ${route} ${body}` } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  replay = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, close: () => new Promise((r) => server.close(() => r())) };
});
afterAll(() => replay.close());

const client = () => openaiClient({ baseURL: replay.url, apiKey: null, timeoutMs: 5000 });
const signal = new AbortController().signal;

describe("logprobs in both shapes", () => {
  it("reads llama-server's completions logprobs, which come in the chat shape (content[] with top_logprobs)", () => {
    const parsed = parseLogprobs(recorded("mc-next-token").response.choices![0].logprobs)!;
    expect(parsed.shape).toBe("chat");
    expect(parsed.tokens).toHaveLength(1);
    const [next] = parsed.tokens;
    expect(next.top).toHaveLength(20);
    // most likely first, and at temperature 0 the generated token is the likeliest
    expect(next.top.map((t) => t.logprob)).toEqual([...next.top.map((t) => t.logprob)].sort((a, b) => b - a));
    expect(next.top[0].token).toBe(next.token);
    expect(next.logprob).toBe(next.top[0].logprob);
  });

  it("reads the legacy shape (tokens, token_logprobs, top_logprobs objects, text_offset) as OpenAI and vLLM send it", () => {
    const parsed = parseLogprobs({ tokens: ["The", " sky", " is"], token_logprobs: [null, -2.5, -0.25], top_logprobs: [null, { " sky": -2.5, " sun": -1.5 }, { " is": -0.25 }], text_offset: [0, 3, 7] })!;
    expect(parsed.shape).toBe("legacy");
    expect(parsed.tokens.map((t) => [t.token, t.logprob, t.offset])).toEqual([
      ["The", null, 0],
      [" sky", -2.5, 3],
      [" is", -0.25, 7],
    ]);
    expect(parsed.tokens[1].top).toEqual([
      { token: " sun", logprob: -1.5 },
      { token: " sky", logprob: -2.5 },
    ]);
    expect(parseLogprobs(null)).toBeNull();
    expect(parseLogprobs({ text: "no logprobs here" })).toBeNull();
  });

  it("records what llama-server does with echo: ignored (only the generated token comes back), and max_tokens 0 still generates one", () => {
    for (const choice of recorded("rc-echo-batch").response.choices!) expect(parseLogprobs(choice.logprobs)!.tokens).toHaveLength(1);
    expect(recorded("rc-echo-batch").response.choices).toHaveLength(2);
    const zero = recorded("completion-max-tokens-0").response.choices![0];
    expect(parseLogprobs(zero.logprobs)!.tokens).toHaveLength(1);
    expect(zero.text).not.toBe("");
  });
});

describe("the provider and the probe on llama-server's recorded answers", () => {
  it("nextToken gives the top 20 alternatives; loglikelihoods fails naming the endpoint and the missing prompt tokens, not retried", async () => {
    const provider = new OpenAICompatibleProvider(client(), "tiny", replay.url);
    const body = recorded("mc-next-token").request.body as { prompt: string };
    const next = await provider.nextToken({ prompt: body.prompt, top: 20 }, signal);
    expect(next.top).toEqual(parseLogprobs(recorded("mc-next-token").response.choices![0].logprobs)!.tokens[0].top);
    expect(next.input_tokens).toBeGreaterThan(10);

    const error = await provider.loglikelihoods([{ context: "The capital of France is", continuation: " Paris" }, { context: "The capital of France is", continuation: " Rome" }], signal).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseFieldError);
    expect((error as Error).message).toBe(
      `the endpoint ${replay.url} answered without the prompt's tokens in choices[0].logprobs: echo was ignored; rc tasks need the prompt's log-probabilities (completions with echo and logprobs, as vLLM serves them)`,
    );
    expect(classify(error)).toEqual({ retry: false, fatal: false, reason: (error as Error).message });
  });

  it("the probe reads llama-server's capabilities from its answers", async () => {
    const served = await checkEndpoint(client(), replay.url, null);
    expect(served).toEqual({ id: "tiny", ownedBy: "llamacpp" });
    const caps = await probeEndpoint(client(), replay.url, served.id, served.ownedBy, { maxRetries: 0, backoffMs: 0 }, signal);
    expect(caps).toMatchObject(LLAMA_SERVER_CAPABILITIES);
  });

  it("a model it does not serve, and an endpoint that is not an OpenAI API, are named", async () => {
    await expect(checkEndpoint(client(), replay.url, "llama-70b")).rejects.toThrow(`the endpoint ${replay.url} does not serve model llama-70b; it serves: tiny`);
    const notOpenAI = http.createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}'));
    await new Promise<void>((resolve) => notOpenAI.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(notOpenAI.address() as AddressInfo).port}/v1`;
    await expect(checkEndpoint(openaiClient({ baseURL: url, apiKey: null, timeoutMs: 5000 }), url, null)).rejects.toThrow(`the endpoint ${url} answered GET /models without its "data" list of models`);
    await new Promise((r) => notOpenAI.close(r));
  });
});
