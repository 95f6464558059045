import type { GenerateRequest, Generation, Provider } from "./providers/types";

/** What a scaffold returns for one question: the final answer text and, if several turns, the turns. */
export interface ScaffoldResult extends Generation {
  transcript: unknown[] | null;
}

/**
 * Drives one question from its rendered prompt to a final answer. The harness picks it: the
 * single-turn default asks once; agent loops with tools (issue 8) implement the same interface.
 */
export interface Scaffold {
  run(request: GenerateRequest, provider: Provider, signal: AbortSignal, send: <T>(call: () => Promise<T>) => Promise<T>): Promise<ScaffoldResult>;
}

export const singleTurn: Scaffold = {
  async run(request, provider, signal, send) {
    const generation = await send(() => provider.generate(request, signal));
    return { ...generation, transcript: null };
  },
};

export const SCAFFOLDS = { "single-turn": singleTurn } as const satisfies Record<string, Scaffold>;
