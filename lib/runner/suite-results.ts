import type { RunManifest } from "@/lib/schema";
import { workspaceRunRecords } from "./run-records";
import { aggregateSuite, getSuite, type SuiteMember } from "./suites";

/** Mean primary score per subtask of a run (questions' samples averaged first). */
async function subtaskMeans(workspace: string, runId: string): Promise<number[]> {
  const perQuestion = new Map<string, { subtask: string; sum: number; n: number }>();
  for (const r of await workspaceRunRecords(workspace, runId)) {
    if (r.score === null || r.subtask === null) continue;
    const entry = perQuestion.get(r.instance_id) ?? { subtask: r.subtask, sum: 0, n: 0 };
    entry.sum += r.score;
    entry.n += 1;
    perQuestion.set(r.instance_id, entry);
  }
  const bySubtask = new Map<string, number[]>();
  for (const { subtask, sum, n } of perQuestion.values()) bySubtask.set(subtask, [...(bySubtask.get(subtask) ?? []), sum / n]);
  return [...bySubtask.values()].map((scores) => scores.reduce((a, b) => a + b, 0) / scores.length);
}

/**
 * One line per suite and model checkpoint among the manifests: the suite's aggregate by its rule
 * (mean, mean of means, none), with the members it is over.
 */
export async function suiteResults(manifests: readonly RunManifest[], workspace: string): Promise<string[]> {
  const groups = new Map<string, RunManifest[]>();
  for (const m of manifests) {
    if (m.suite === null || m.status !== "complete") continue;
    const key = `${m.suite}\u0000${m.model.name}\u0000${m.model.checkpoint ?? ""}`;
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  return Promise.all([...groups.values()].map(async (runs) => {
    const suite = getSuite(runs[0].suite!);
    const rule = suite?.aggregate ?? "none";
    const members: SuiteMember[] = await Promise.all(runs.map(async (m) => ({
      task: m.task.variant ? `${m.task.name}:${m.task.variant}` : m.task.name,
      value: m.metrics[m.primary_metric]?.value ?? null,
      subtaskMeans: rule === "mean_of_means" ? await subtaskMeans(workspace, m.run_id) : [],
    })));
    const value = aggregateSuite(rule, members);
    const label = `${runs[0].model.name}${runs[0].model.checkpoint ? ` ${runs[0].model.checkpoint}` : ""}`;
    const missing = suite ? suite.tasks.filter((t) => !members.some((m) => m.task === t)) : [];
    const shown = value === null ? (rule === "none" ? "no aggregate (rule none)" : "-") : (100 * value).toFixed(2);
    return `suite ${runs[0].suite} (${rule}) ${label}: ${shown} over ${members.map((m) => m.task).join(", ")}${missing.length ? `; missing ${missing.join(", ")}` : ""}`;
  }));
}
