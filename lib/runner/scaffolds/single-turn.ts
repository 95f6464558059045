import type { Scaffold } from "./types";

/** Asks once and takes the answer. */
export const singleTurn: Scaffold = {
  async run(request, { provider, signal, send }) {
    const generation = await send(() => provider.generate(request, signal));
    return { ...generation, transcript: null };
  },
};
