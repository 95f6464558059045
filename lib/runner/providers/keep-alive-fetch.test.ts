import http from "node:http";
import type { AddressInfo } from "node:net";
import { APIUserAbortError } from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { startSim, type FaultKind, type SimServer } from "@/lib/sim/server";
import { classify } from "./errors";
import { openaiClient, OpenAICompatibleProvider } from "./openai";

const request = { rendered: { kind: "chat" as const, messages: [{ role: "user" as const, content: "2+2?" }] }, temperature: 0, top_p: 1, max_tokens: 8, stop: [], seed: null };

let sim: SimServer | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

/** A provider against a simulator where every request meets `fault`. */
async function faulty(fault: FaultKind, timeoutMs: number) {
  sim = await startSim({ checkpoints: [{ name: "m", accuracy: 1 }], faultRate: 1, faultKinds: [fault] });
  return new OpenAICompatibleProvider(openaiClient({ baseURL: sim.url, apiKey: null, timeoutMs }), "m", sim.url);
}

/** Why `generate` failed, as the retry policy sees it. */
async function verdictOf(provider: OpenAICompatibleProvider, signal = new AbortController().signal) {
  const error = await provider.generate(request, signal).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).not.toBeNull();
  return classify(error);
}

describe("the provider's keep-alive transport", () => {
  it("sends sequential requests over one kept-alive connection", async () => {
    let connections = 0;
    const server = http.createServer((req, res) => {
      req.resume().on("end", () => {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ id: "x", object: "chat.completion", created: 0, model: "m", choices: [{ index: 0, message: { role: "assistant", content: "4" }, finish_reason: "stop" }], usage: { prompt_tokens: 3, completion_tokens: 1 } }));
      });
    });
    server.on("connection", () => connections++);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    const provider = new OpenAICompatibleProvider(openaiClient({ baseURL: url, apiKey: null, timeoutMs: 5000 }), "m", url);
    for (let i = 0; i < 10; i++) expect(await provider.generate(request, new AbortController().signal)).toEqual({ text: "4", input_tokens: 3, output_tokens: 1 });
    expect(connections).toBe(1);
    await new Promise((resolve) => server.close(resolve));
  });

  it("reads a 429's retry-after and a 500's message: both retried", async () => {
    expect(await verdictOf(await faulty("429", 5000))).toEqual({ retry: true, reason: "HTTP 429: simulated rate limit", afterMs: 0 });
    await sim!.close();
    expect(await verdictOf(await faulty("500", 5000))).toMatchObject({ retry: true, reason: "HTTP 500: simulated server error" });
  });

  it("a request that never answers ends at the timeout, retried as timed out", async () => {
    expect(await verdictOf(await faulty("timeout", 300))).toMatchObject({ retry: true, reason: "request timed out" });
  });

  it("a body cut short is a failed request to retry, never a parsed answer", async () => {
    expect(await verdictOf(await faulty("truncated", 5000))).toMatchObject({ retry: true, reason: expect.stringMatching(/^connection failed \(ECONNRESET\)|^response cut short/) });
  });

  it("cancelling the run aborts a request in flight, without waiting for its timeout", async () => {
    const provider = await faulty("timeout", 600_000);
    const run = new AbortController();
    const pending = provider.generate(request, run.signal);
    setTimeout(() => run.abort(), 50);
    await expect(pending).rejects.toBeInstanceOf(APIUserAbortError);
  });
});
