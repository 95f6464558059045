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

export interface LikelihoodRequest {
  context: string;
  continuation: string;
}

/** A model endpoint as the runner needs it; the harness picks which one. */
export interface Provider {
  /** The model id sent in requests. */
  readonly model: string;
  /** Identifies the endpoint in cache keys (never carries credentials). */
  readonly endpoint: string;
  generate(request: GenerateRequest, signal: AbortSignal): Promise<Generation>;
  /** Scores several continuations in one request. */
  loglikelihoods(requests: readonly LikelihoodRequest[], signal: AbortSignal): Promise<Likelihood[] & Usage>;
}
