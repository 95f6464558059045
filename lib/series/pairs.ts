import { DEFAULT_SETTINGS, effectOfSets, type CompareSettings, type EffectReport } from "@/lib/compare/report";
import { pairQuestions, type RunQuestions } from "@/lib/compare/run-questions";
import type { Interval } from "@/lib/stats";

/** One paired comparison of run A (candidate) against run B (baseline), as the series and matrix show it. */
export interface PairFigures {
  n_shared: number;
  /** Questions in both runs whose instance_hash differs: counted, never paired. */
  n_mismatched: number;
  delta: number | null;
  /** The headline SE and CI of compare: clustered (CR1) when the questions carry clusters. */
  se: number | null;
  ci: Interval | null;
  /** McNemar exact for 0/1 scores, else the sign-flip test (exact or Monte Carlo), as compare. */
  p: number | null;
  mde: number | null;
  /** 0/1 scores on the shared questions: A right and B wrong (b), A wrong and B right (c). */
  mcnemar: { b: number; c: number } | null;
  /** For other scores: questions whose score rose (A - B > margin) or fell (A - B < -margin). */
  rose_fell: { rose: number; fell: number; margin: number } | null;
}

/** The figures of a paired effect that the series and the matrix report, taken as compare reports them. */
export function pairFigures(effect: EffectReport): Omit<PairFigures, "rose_fell"> {
  const clustered = effect.clustered && effect.clustered.se !== null ? effect.clustered : null;
  return {
    n_shared: effect.n_shared,
    n_mismatched: effect.n_mismatched,
    delta: effect.delta,
    se: clustered ? clustered.se : effect.se_paired,
    ci: clustered ? clustered.ci_analytic : effect.ci_analytic,
    p: effect.p_value?.value ?? null,
    mde: clustered ? clustered.mde : effect.mde,
    mcnemar: effect.mcnemar && { b: effect.mcnemar.only_candidate_right, c: effect.mcnemar.only_baseline_right },
  };
}

/** Rose and fell counts of the shared, scored questions, for scores that are not 0/1. */
function roseFell(a: readonly { questionId: string; score: number | null }[], b: readonly { questionId: string; score: number | null }[], margin: number) {
  const before = new Map(b.map((r) => [r.questionId, r.score]));
  let rose = 0;
  let fell = 0;
  for (const { questionId, score } of a) {
    const previous = before.get(questionId);
    if (score === null || previous === null || previous === undefined) continue;
    if (score - previous > margin) rose++;
    else if (previous - score > margin) fell++;
  }
  return { rose, fell, margin };
}

/**
 * A against B question by question, with the compare page's alignment and statistics at the
 * analytic stage (no bootstrap: the series shows dozens of pairs; compare has the bootstrap).
 */
export function comparePair(a: RunQuestions, b: RunQuestions, settings: CompareSettings = DEFAULT_SETTINGS, tieMargin = 0): PairFigures {
  const sets = pairQuestions(a, b);
  const effect = effectOfSets(sets, settings, "analytic");
  const figures = pairFigures(effect);
  if (figures.mcnemar || effect.n_shared === 0) return { ...figures, rose_fell: null };
  return { ...figures, rose_fell: roseFell(sets.a, sets.b, tieMargin) };
}
