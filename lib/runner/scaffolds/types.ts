import type { TranscriptEntry } from "@/lib/schema/transcript";
import type { Session } from "@/lib/sandbox/types";
import type { GenerateRequest, Generation, Provider } from "../providers/types";
import type { Tool } from "../tools/define-tool";

/** What a scaffold returns for one question: the final answer text and, if several turns, the turns. */
export interface ScaffoldResult extends Generation {
  transcript: TranscriptEntry[] | null;
}

/** Limits of one agent episode. */
export interface AgentBudget {
  max_turns: number;
  /** Input plus output tokens over all turns. */
  max_tokens: number;
}

export interface ScaffoldContext {
  provider: Provider;
  signal: AbortSignal;
  /** Sends a request with the harness's concurrency limit and retries. */
  send: <T>(call: () => Promise<T>) => Promise<T>;
  tools: readonly Tool[];
  /** The question's sandbox, opened on first use. */
  sandbox: () => Promise<Session>;
  budget: AgentBudget;
}

/**
 * Drives one question from its rendered prompt to a final answer. The harness picks it (never the
 * task): single-turn asks once; the agent loop lets the model call tools over several turns.
 */
export interface Scaffold {
  run(request: GenerateRequest, context: ScaffoldContext): Promise<ScaffoldResult>;
}
