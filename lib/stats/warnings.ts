/**
 * Warning codes (spec 1.7) and the input error type (spec 1.1).
 * Undefined quantities are `null` plus one of these codes; invalid input throws `StatsInputError`.
 */
export const WARNING_CODES = [
  "EMPTY",
  "N_LT_2",
  "SMALL_N",
  "ZERO_VARIANCE",
  "NO_SHARED",
  "NOT_BINARY",
  "ONE_CLUSTER",
  "FEW_CLUSTERS",
  "BCA_DEGENERATE",
  "RNG_LONG",
] as const;

export type WarningCode = (typeof WARNING_CODES)[number];

/** Collects warning codes once each, in first-seen order. */
export class Warnings {
  private readonly codes: WarningCode[] = [];
  add(code: WarningCode): void {
    if (!this.codes.includes(code)) this.codes.push(code);
  }
  addAll(codes: readonly WarningCode[]): void {
    for (const c of codes) this.add(c);
  }
  list(): WarningCode[] {
    return [...this.codes];
  }
}

export type InputErrorCode = "DUPLICATE_ID" | "CLUSTER_MISMATCH" | "NON_NUMERIC_SCORE" | "INVALID_ID";

/** Invalid input (spec 1.1): duplicate ids, disagreeing cluster ids, non-numeric scores. */
export class StatsInputError extends Error {
  readonly code: InputErrorCode;
  readonly questionId: string;
  constructor(code: InputErrorCode, questionId: string, message: string) {
    super(message);
    this.name = "StatsInputError";
    this.code = code;
    this.questionId = questionId;
  }
}
