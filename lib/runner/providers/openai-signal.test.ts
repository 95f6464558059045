import { getEventListeners } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { openaiClient, OpenAICompatibleProvider } from "./openai";

/** A server that answers every chat completion with "4". */
async function tinyServer() {
  const server = http.createServer((req, res) => {
    req.resume().on("end", () => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ id: "x", object: "chat.completion", created: 0, model: "m", choices: [{ index: 0, message: { role: "assistant", content: "4" }, finish_reason: "stop" }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, close: () => new Promise((r) => server.close(r)) };
}

describe("OpenAICompatibleProvider", () => {
  it("leaves no abort listener on the run's signal after its requests, however many", async () => {
    const server = await tinyServer();
    const provider = new OpenAICompatibleProvider(openaiClient({ baseURL: server.url, apiKey: null, timeoutMs: 5000 }), "m", server.url);
    const run = new AbortController();
    const request = { rendered: { kind: "chat" as const, messages: [{ role: "user" as const, content: "2+2?" }] }, temperature: 0, top_p: 1, max_tokens: 8, stop: [], seed: null };
    for (let i = 0; i < 30; i++) expect((await provider.generate(request, run.signal)).text).toBe("4");
    expect(getEventListeners(run.signal, "abort")).toHaveLength(0);
    await server.close();
  });
});
