// Records llama-server's answers to the requests evalbench sends (and to the probe's), as the
// fixtures the provider's unit tests parse: `npx tsx real-server/record-fixtures.ts`. Builds
// llama-server when missing. The files hold each request and the response body as received.
import fs from "node:fs";
import path from "node:path";
import { probeRequests } from "@/lib/runner/providers/probe";
import { llamaBin, startLlamaServer, tinyModel } from "./llama";

const OUT = path.resolve("lib", "runner", "providers", "fixtures", "llama-server");

const probe = probeRequests("tiny");
const REQUESTS: Record<string, { path: string; body: Record<string, unknown> }> = {
  // the capability probe's three requests
  "probe-next": { path: "/completions", body: probe.next },
  "probe-echo": { path: "/completions", body: probe.echo },
  "probe-chat": { path: "/chat/completions", body: probe.chat },
  // mc by log-probabilities: the next token's top 20
  "mc-next-token": { path: "/completions", body: { model: "tiny", prompt: "Question: Which is a planet?\nA. Mars\nB. Moon\nC. Sun\nD. Comet\nAnswer:", max_tokens: 1, temperature: 0, logprobs: 20 } },
  // what rc tasks send: the prompt and a choice, two at once, echoed with their log-probabilities
  "rc-echo-batch": { path: "/completions", body: { model: "tiny", prompt: ["The capital of France is Paris", "The capital of France is Rome"], max_tokens: 1, temperature: 0, echo: true, logprobs: 1 } },
  // max_tokens 0 asks for the prompt alone
  "completion-max-tokens-0": { path: "/completions", body: { model: "tiny", prompt: "One, two, three,", max_tokens: 0, temperature: 0, echo: true, logprobs: 1 } },
  "chat-logprobs": { path: "/chat/completions", body: { model: "tiny", messages: [{ role: "user", content: "Say yes." }], max_tokens: 2, temperature: 0, logprobs: true, top_logprobs: 3 } },
};

const bin = llamaBin();
const server = await startLlamaServer({ bin, model: tinyModel(bin), port: Number(process.env.LLAMA_PORT ?? 8097) });
try {
  fs.mkdirSync(OUT, { recursive: true });
  const models = await (await fetch(`${server.url}/models`)).json();
  fs.writeFileSync(path.join(OUT, "models.json"), `${JSON.stringify({ request: { method: "GET", path: "/models" }, response: models }, null, 2)}\n`);
  for (const [name, { path: route, body }] of Object.entries(REQUESTS)) {
    const response = await fetch(`${server.url}${route}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const recorded = { request: { method: "POST", path: route, body }, status: response.status, response: await response.json() };
    fs.writeFileSync(path.join(OUT, `${name}.json`), `${JSON.stringify(recorded, null, 2)}\n`);
  }
  process.stdout.write(`recorded ${Object.keys(REQUESTS).length + 1} fixtures into ${OUT}\n`);
} finally {
  await server.stop();
}
