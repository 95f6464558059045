import type { MetricValue } from "@/lib/schema";
import { naturalSort } from "@/lib/sort/natural";
import { MetricsAccumulator } from "@/lib/workspace/metrics";
import type { ColumnBatch } from "./columns";

export interface SubtaskScore {
  /** "" for records without a subtask. */
  subtask: string;
  /** Mean over questions (samples averaged), SE and 95% CI, as the run's manifest computes its score. */
  metric: MetricValue;
}

/**
 * The primary score of each subtask of a run, with the same statistics the run's own score has
 * (stats-spec 2, through the writer's accumulator): the page and the manifest cannot disagree.
 */
export function subtaskScores(batch: ColumnBatch, primaryMetric: string): SubtaskScore[] {
  const { subtask, instance_id, score, cluster_id } = batch.columns;
  if (!subtask || !instance_id || !score) throw new Error("subtask scores need the subtask, instance_id and score columns");
  const bySubtask = new Map<string, MetricsAccumulator>();
  for (let i = 0; i < batch.length; i++) {
    const name = subtask[i] === null ? "" : String(subtask[i]);
    let accumulator = bySubtask.get(name);
    if (!accumulator) bySubtask.set(name, (accumulator = new MetricsAccumulator(primaryMetric, {})));
    accumulator.add({
      instance_id: String(instance_id[i]),
      cluster_id: cluster_id?.[i] == null ? null : String(cluster_id[i]),
      score: score[i] as number | null,
      scores: {},
    } as Parameters<MetricsAccumulator["add"]>[0]);
  }
  return naturalSort([...bySubtask.keys()]).map((name) => ({ subtask: name, metric: bySubtask.get(name)!.result()[primaryMetric] }));
}
