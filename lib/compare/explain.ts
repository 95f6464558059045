// Words for what a comparison shows: the page (tooltips, links into docs/statistics.md), the CLI and
// the Markdown summary read them here, so the three say the same.
import type { WarningCode } from "@/lib/stats";

/** What each warning of lib/stats means, for people (the JSON keeps the codes, for scripts). */
export const WARNING_TEXT: Record<WarningCode, string> = {
  EMPTY: "a run has no scored question here",
  N_LT_2: "fewer than 2 questions: no standard error or interval",
  SMALL_N: "fewer than 30 questions: the normal-approximation intervals are rough",
  ZERO_VARIANCE: "every difference is the same: the standard error is 0 and the interval a point",
  NO_SHARED: "no question is scored in both runs: the comparison is unpaired",
  NOT_BINARY: "scores are not all 0 or 1: no McNemar test; p is the sign-flip test's",
  ONE_CLUSTER: "all questions are in one cluster: no clustered standard error",
  FEW_CLUSTERS: "fewer than 20 clusters: the clustered intervals are rough",
  BCA_DEGENERATE: "the bootstrap was degenerate for BCa: the percentile interval is shown instead",
  RNG_LONG: "resamples × questions exceed 2^31, past half the random generator's period",
};

export const warningsText = (codes: readonly WarningCode[]) => codes.map((code) => WARNING_TEXT[code]).join("; ");

/** Terms the compare page explains: a short tooltip and the anchor of their section in docs/statistics.md. */
export const TERMS = {
  interval: {
    anchor: "intervals-1-se-and-95-ci",
    tip: "± 1 SE is one standard error either side (about a 68% interval); a 95% CI is the range that holds the true value in 95% of repetitions.",
  },
  bca: {
    anchor: "bca-bootstrap-interval",
    tip: "Bias-corrected and accelerated bootstrap: the 95% CI from resampling the questions (10,000 resamples by default), corrected for skew.",
  },
  mde: {
    anchor: "mde-minimum-detectable-effect",
    tip: "Minimum detectable effect: the smallest true difference this comparison finds 80% of the time at the 5% level. Smaller changes can hide in the noise.",
  },
  r: {
    anchor: "r-correlation-of-the-two-runs",
    tip: "Correlation of the two runs' per-question scores. The higher r, the more pairing narrows the interval compared with two unrelated samples.",
  },
  mcnemar: {
    anchor: "mcnemar-test",
    tip: "Exact McNemar test: for 0/1 scores, p from the questions where exactly one run is right (the 2x2 table's off-diagonal cells).",
  },
  signFlip: {
    anchor: "sign-flip-test",
    tip: "Sign-flip (randomization) test: p from flipping the sign of each question's difference at random; for scores that are not 0/1.",
  },
  cr1: {
    anchor: "cr1-clustered-standard-error",
    tip: "CR1 clustered standard error: questions that share a passage or source move together, so the interval treats each cluster, not each question, as one draw.",
  },
  designEffect: {
    anchor: "design-effect",
    tip: "Design effect: how much clustering inflates the variance (clustered SE / plain SE)². 2 means the questions count as half as many independent ones.",
  },
  resamples: {
    anchor: "bca-bootstrap-interval",
    tip: "Bootstrap resamples: how many times the questions are drawn again at random for the bootstrap interval (and the sign-flip test).",
  },
} as const;

export type Term = keyof typeof TERMS;

/** Where a term is explained in the app's copy of docs/statistics.md. */
export const termHref = (term: Term) => `/docs/statistics#${TERMS[term].anchor}`;
