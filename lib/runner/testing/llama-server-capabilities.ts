import type { Capabilities } from "../providers/probe";

/** What llama-server (llama.cpp 80fb11a) answers the probe, as measured: the recorded fixtures in providers/fixtures/llama-server. */
export const LLAMA_SERVER_CAPABILITIES: Omit<Capabilities, "endpoint" | "ms"> = {
  server: "llama-server",
  chat: { ok: true },
  completions: { ok: true },
  logprobs: "chat",
  topLogprobs: 5,
  maxTokens: { ok: true },
  batch: { ok: true },
  promptLogprobs: { ok: false, why: "echo was ignored: only the generated token came back" },
};
