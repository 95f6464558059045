import { describe, expect, it } from "vitest";
import { LLAMA_SERVER_CAPABILITIES } from "./testing/llama-server-capabilities";
import type { Capabilities } from "./providers/probe";
import { resolveTask } from "./registry";
import { endpointGap } from "./requirements";
import "./tasks";

/** What llama-server answered the probe. */
const llamaServer: Capabilities = { ...LLAMA_SERVER_CAPABILITIES, endpoint: "http://127.0.0.1:8080/v1", ms: 120 };
const vllm: Capabilities = { ...llamaServer, server: "vLLM", logprobs: "legacy", promptLogprobs: { ok: true } };

describe("a task the endpoint cannot run is named before the first question", () => {
  it("refuses rc on an endpoint without prompt log-probabilities, naming the gap and the mc formulations that would work", () => {
    expect(endpointGap(resolveTask("mmlu:rc"), llamaServer)).toBe(
      "mmlu:rc ranks answers by their log-likelihood, and llama-server at http://127.0.0.1:8080/v1 does not return prompt log-probabilities (echo was ignored: only the generated token came back); run the mc formulation of this task (mmlu:mc_logprobs or mmlu or mmlu:chat), or serve the model with vLLM (see docs/endpoints.md)",
    );
    expect(endpointGap(resolveTask("hellaswag"), llamaServer)).toMatch(/^hellaswag ranks .*run the mc formulation of this task \(hellaswag:mc_logprobs or hellaswag:mc\)/);
    expect(endpointGap(resolveTask("arc_easy:rc"), { ...vllm, batch: { ok: false, why: "2 prompts gave 1 choices" } })).toMatch(/does not answer several prompts in one request \(2 prompts gave 1 choices\)/);
  });

  it("lets through what the endpoint can do", () => {
    for (const spec of ["mmlu", "mmlu:mc_logprobs", "gsm8k", "mmlu:chat"]) expect(endpointGap(resolveTask(spec), llamaServer)).toBeNull();
    for (const spec of ["mmlu:rc", "hellaswag", "arc_challenge:rc_uncond"]) expect(endpointGap(resolveTask(spec), vllm)).toBeNull();
  });

  it("names a missing route or missing top log-probabilities, and what to run instead", () => {
    expect(endpointGap(resolveTask("gsm8k"), { ...vllm, server: null, chat: { ok: false, why: "HTTP 400: no chat template" } })).toBe(
      "gsm8k is a chat task, and the endpoint http://127.0.0.1:8080/v1 refused chat completions (HTTP 400: no chat template); run it with -o format=completion, or serve the model with a chat template",
    );
    expect(endpointGap(resolveTask("mmlu"), { ...vllm, completions: { ok: false, why: "HTTP 404" } })).toMatch(/^mmlu is a completion task, .* refused \/completions \(HTTP 404\); run it with -o format=chat$/);
    expect(endpointGap(resolveTask("mmlu:mc_logprobs"), { ...vllm, logprobs: null, topLogprobs: 0 })).toMatch(/returns no logprobs with its completions; run mmlu \(the letter generated\) instead$/);
    expect(endpointGap(resolveTask("mmlu:mc_logprobs"), { ...vllm, topLogprobs: 0 })).toMatch(/returns no top alternatives with its logprobs/);
  });
});
