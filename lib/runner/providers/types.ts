import type { Rendered } from "../formats/render";

export interface Usage {
  input_tokens: number | null;
  output_tokens: number | null;
}

export interface Generation extends Usage {
  text: string;
}

/** log p(continuation | context) and how many tokens the continuation took. */
export interface Likelihood {
  logprob: number;
  tokens: number;
}

export interface GenerateRequest {
  rendered: Rendered;
  temperature: number;
  top_p: number;
  max_tokens: number;
  stop: string[];
  /** Sampling seed, so repeated samples of one question differ yet are reproducible. */
  seed: number | null;
}

/** A tool as the chat API receives it: name, description and JSON schema of its arguments. */
export interface ToolSpec {
  type: "function";
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

/** One call the model asked for; `arguments` is the JSON text it wrote (maybe invalid). */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** A message of a tool-using conversation, in the chat API's shape. */
export type AgentMessage =
  | { role: "system" | "user"; content: string }
  | { role: "assistant"; content: string | null; tool_calls?: ToolCall[] }
  | { role: "tool"; tool_call_id: string; content: string };

export interface ChatRequest extends Omit<GenerateRequest, "rendered"> {
  messages: AgentMessage[];
  tools: ToolSpec[];
}

/** One assistant turn: its text, the tools it called, why it stopped. */
export interface ChatTurn extends Usage {
  content: string;
  tool_calls: ToolCall[];
  finish_reason: string | null;
}

export interface LikelihoodRequest {
  context: string;
  continuation: string;
}

/** For multiple choice by log-probabilities: the `top` most likely tokens to follow a completion prompt. */
export interface NextTokenRequest {
  prompt: string;
  top: number;
}

export interface NextToken extends Usage {
  /** Most likely first; as many as the endpoint returned (at most `top`). */
  top: { token: string; logprob: number }[];
}

/** A model endpoint as the runner needs it; the harness picks which one. */
export interface Provider {
  /** The model id sent in requests. */
  readonly model: string;
  /** Identifies the endpoint in cache keys (never carries credentials). */
  readonly endpoint: string;
  generate(request: GenerateRequest, signal: AbortSignal): Promise<Generation>;
  /** One turn of a chat with tools offered (the agent scaffold). */
  chat(request: ChatRequest, signal: AbortSignal): Promise<ChatTurn>;
  /** Scores several continuations in one request. */
  loglikelihoods(requests: readonly LikelihoodRequest[], signal: AbortSignal): Promise<Likelihood[] & Usage>;
  /** The most likely next tokens after a prompt, from one generated token's top log-probabilities. */
  nextToken(request: NextTokenRequest, signal: AbortSignal): Promise<NextToken>;
}
