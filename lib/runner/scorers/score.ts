import type { MetricValue } from "@/lib/schema";
import { HIGHER_IS_BETTER, type MetricName, type Question, type TaskConfig } from "../task";
import { extract } from "./extract";
import { exactMatch, f1, passAtK } from "./metrics";
import { rcPick, rcScore, type ChoiceLikelihood, type RcNormalisation } from "./rc";

/** The name a metric has in records and manifests: pass_at_k becomes pass@k. */
export function metricKey(metric: MetricName, config: TaskConfig): string {
  if (metric === "pass_at_1") return "pass@1";
  return metric === "pass_at_k" ? `pass@${config.pass_k}` : metric;
}

/** The metrics a run declares, with their direction, before any is measured. */
export function declaredMetrics(config: TaskConfig): Record<string, MetricValue> {
  return Object.fromEntries(config.metrics.map((m) => [metricKey(m, config), { value: null, se: null, ci: null, n: 0, higher_is_better: HIGHER_IS_BETTER[m] }]));
}

export interface Scored {
  extracted: string | null;
  /** Every metric by its key; `score` is the primary one. */
  scores: Record<string, number | null>;
  score: number | null;
}

const targetsOf = (question: Question) => [question.target, ...(question.aliases ?? [])];

/** Verdicts reached outside the text: tests run in a sandbox, a judge model's scores. */
export interface Verdicts {
  /** Per sample: the answer passed its tests (code tasks are correct by this, not by matching). */
  passed?: readonly boolean[];
  /** Per sample: the judge's score in [0, 1], null when it gave none. */
  judge?: readonly (number | null)[];
}

/**
 * Scores a question's generated samples. pass@k looks at all samples of the question, so each
 * sample carries the question's pass@k (the per-question mean over samples is then pass@k).
 */
export function scoreGenerations(config: TaskConfig, question: Question, responses: readonly string[], verdicts: Verdicts = {}): Scored[] {
  const targets = targetsOf(question);
  const extracted = responses.map((response) => extract(config.extract, response));
  const correct = verdicts.passed ? verdicts.passed.map(Number) : extracted.map((e) => exactMatch(e, targets));
  const passed = correct.reduce((a, b) => a + b, 0);
  return extracted.map((e, i) => {
    const scores: Record<string, number | null> = {};
    for (const metric of config.metrics) {
      const key = metricKey(metric, config);
      if (metric === "exact_match") scores[key] = correct[i];
      else if (metric === "f1") scores[key] = f1(e, targets);
      else if (metric === "pass_at_k") scores[key] = passAtK(responses.length, passed, config.pass_k);
      else if (metric === "pass_at_1") scores[key] = passAtK(responses.length, passed, 1);
      else if (metric === "judge") scores[key] = verdicts.judge?.[i] ?? null;
      else throw new Error(`metric ${metric} does not apply to generated answers`);
    }
    return { extracted: e, scores, score: scores[metricKey(config.primary_metric, config)] ?? null };
  });
}

/** Scores a rank-classification question from its choices' log-likelihoods. */
export function scoreChoices(config: TaskConfig, question: Question, choices: readonly ChoiceLikelihood[]): Scored {
  const gold = question.gold;
  if (gold === undefined || !question.choices) throw new Error(`question ${question.id} has no choices to rank`);
  const scores: Record<string, number | null> = {};
  for (const metric of config.metrics) scores[metric] = rcScore(metric as RcNormalisation | "bpb", choices, gold);
  const pickBy: RcNormalisation = config.primary_metric === "bpb" ? "acc_raw" : (config.primary_metric as RcNormalisation);
  return { extracted: question.choices[rcPick(pickBy, choices)], scores, score: scores[config.primary_metric] ?? null };
}
