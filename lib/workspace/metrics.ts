import type { MetricValue, QuestionRecord } from "@/lib/schema";
import { summarizeRun } from "@/lib/stats";

/**
 * Aggregate metrics of a run, per stats-spec section 2: each question's score is the mean over
 * its samples, then mean, SE (sample variance) and the 95% normal CI over questions. Unscored
 * questions (null, errored) are left out of n, never counted as wrong.
 */
export class MetricsAccumulator {
  /** metric -> instance_id -> [sum, count] over samples */
  private readonly sums = new Map<string, Map<string, [number, number]>>();
  /** instance_id -> its first record's cluster id, for the clustered SE */
  private readonly clusters = new Map<string, string | null>();

  constructor(
    private readonly primaryMetric: string,
    /** Metrics the task declared, for their direction. */
    private readonly declared: Record<string, MetricValue>,
  ) {}

  add(record: QuestionRecord): void {
    if (!this.clusters.has(record.instance_id)) this.clusters.set(record.instance_id, record.cluster_id);
    this.addScore(this.primaryMetric, record.instance_id, record.score);
    for (const [metric, score] of Object.entries(record.scores)) {
      if (metric !== this.primaryMetric) this.addScore(metric, record.instance_id, score);
    }
  }

  private addScore(metric: string, instanceId: string, score: number | null): void {
    let perQuestion = this.sums.get(metric);
    if (!perQuestion) this.sums.set(metric, (perQuestion = new Map()));
    const entry = perQuestion.get(instanceId) ?? [0, 0];
    if (score !== null && Number.isFinite(score)) {
      entry[0] += score;
      entry[1] += 1;
    }
    perQuestion.set(instanceId, entry);
  }

  result(): Record<string, MetricValue> {
    const metrics: Record<string, MetricValue> = {};
    for (const [metric, perQuestion] of this.sums) {
      const scores = [...perQuestion].map(([questionId, [sum, count]]) => ({ questionId, score: count > 0 ? sum / count : null, clusterId: this.clusters.get(questionId) ?? null }));
      const summary = summarizeRun(scores);
      const clustered = summary.clustered;
      metrics[metric] = {
        value: summary.mean,
        se: summary.se,
        ci: summary.ci,
        n: summary.n,
        higher_is_better: this.declared[metric]?.higher_is_better ?? true,
        clustered: clustered && { n_clusters: clustered.nClusters, se: clustered.se, ci: clustered.ci },
      };
    }
    return metrics;
  }
}
