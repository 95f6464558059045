import { bitsPerByte } from "./metrics";

/** The log-likelihood of one choice's continuation, as the endpoint scored it. */
export interface ChoiceLikelihood {
  continuation: string;
  logprob: number;
  tokens: number;
  /** log p(continuation | uncond_context), for acc_uncond; null when not requested. */
  uncond: number | null;
}

export type RcNormalisation = "acc_raw" | "acc_per_char" | "acc_per_token" | "acc_uncond";

/** The value each normalisation ranks choices by (as in OLMES). */
export function rcValue(norm: RcNormalisation, choice: ChoiceLikelihood): number {
  switch (norm) {
    case "acc_raw":
      return choice.logprob;
    case "acc_per_char":
      return choice.logprob / Math.max(1, choice.continuation.length);
    case "acc_per_token":
      return choice.logprob / Math.max(1, choice.tokens);
    case "acc_uncond":
      if (choice.uncond === null) throw new Error("acc_uncond needs the unconditional log-likelihoods");
      return choice.logprob - choice.uncond;
  }
}

/** Index of the top-ranked choice; ties go to the earlier choice. */
export function rcPick(norm: RcNormalisation, choices: readonly ChoiceLikelihood[]): number {
  let best = 0;
  for (let i = 1; i < choices.length; i++) if (rcValue(norm, choices[i]) > rcValue(norm, choices[best])) best = i;
  return best;
}

/** Accuracy under a normalisation (1 when the gold choice ranks first), or bpb of the gold continuation. */
export function rcScore(metric: RcNormalisation | "bpb", choices: readonly ChoiceLikelihood[], gold: number): number {
  if (metric === "bpb") return bitsPerByte(choices[gold].logprob, choices[gold].continuation);
  return rcPick(metric, choices) === gold ? 1 : 0;
}
