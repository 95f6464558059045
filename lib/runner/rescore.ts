import { writeImports } from "@/lib/importers/write-import";
import type { QuestionRecord, RunManifest } from "@/lib/schema";
import { workspaceRun } from "@/lib/workspace/store";
import { TARGET_SEPARATOR } from "./execute";
import { resolveStoredTask } from "./registry";
import { scoreLetters, type LetterLogprob } from "./scorers/next-token";
import type { ChoiceLikelihood } from "./scorers/rc";
import { declaredMetrics, scoreChoices, scoreGenerations, type Scored } from "./scorers/score";
import { workspaceRunRecords } from "./run-records";
import type { Question } from "./task";
import "./tasks";

export interface RescoreResult {
  runId: string;
  manifest: RunManifest;
  /** Records whose primary score changed. */
  changed: number;
}

/** The question as far as scoring needs it, rebuilt from a record. */
function questionOf(record: QuestionRecord): Question {
  const [target, ...aliases] = (record.target ?? "").split(TARGET_SEPARATOR);
  return { id: record.instance_id, subtask: record.subtask, cluster: record.cluster_id, input: {}, text: "", fields: {}, target, aliases };
}

function rescoreChoices(config: Parameters<typeof scoreChoices>[0], record: QuestionRecord): Scored {
  const stored = (record.transcript ?? []) as (ChoiceLikelihood & { gold: boolean })[];
  const gold = stored.findIndex((c) => c.gold);
  if (gold === -1) throw new Error(`record ${record.instance_id} has no stored choice log-likelihoods; it cannot be re-scored`);
  return scoreChoices(config, { ...questionOf(record), choices: stored.map((c) => c.continuation), gold }, stored);
}

/**
 * Scores a run's stored responses again with the current scorers and the run's stored task
 * config, without calling any model, into a new run beside the original (which stays as it was,
 * so share links pinned to it still hold), in a folder or a bucket. Errored questions stay errored
 * and unscored. The new run is written whole, as an import is: all or nothing.
 */
export async function rescoreRun(workspace: string, runId: string): Promise<RescoreResult> {
  const entry = await workspaceRun(workspace, runId);
  if (!entry.ok) throw new Error(`run ${runId} cannot be read: ${entry.error}`);
  const original = entry.manifest;
  const task = resolveStoredTask(original.task.name, original.task.variant, original.task.config);
  const { config } = task;
  // Re-scoring never calls a model or runs code; a code task's scores come from running its tests.
  if (task.definition.testProgram) throw new Error(`${task.name} is scored by running its tests in a sandbox, which rescore does not do; start a new run to score it again`);
  const records = await workspaceRunRecords(workspace, runId);
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "").replace("T", "-");
  const newId = `${runId}.rescored-${stamp}`.slice(0, 160);
  const run = {
    run_id: newId,
    model: original.model,
    task: { ...original.task, hash: task.hash },
    suite: original.suite,
    harness: original.harness,
    experiment: original.experiment,
    tags: original.tags,
    seed: original.seed,
    counts: { planned: original.counts.planned },
    primary_metric: original.primary_metric,
    metrics: declaredMetrics(config),
    source: original.source,
    notes: [`re-scored from ${runId} on ${new Date().toISOString()} with the current scorers; no model was called`, original.notes].filter(Boolean).join("\n"),
  };
  const rescored: Omit<QuestionRecord, "run_id">[] = [];
  const byQuestion = new Map<string, QuestionRecord[]>();
  for (const r of records) byQuestion.set(r.instance_id, [...(byQuestion.get(r.instance_id) ?? []), r]);
  let changed = 0;
  for (const group of byQuestion.values()) {
    const answered = group.filter((r) => r.error === null && r.response !== null);
    const scored =
      config.formulation === "rc"
        ? answered.map((r) => rescoreChoices(config, r))
        : config.mc_top_logprobs !== undefined
          ? answered.map((r) => scoreLetters(config, (r.transcript ?? []) as LetterLogprob[]))
          : config.metrics.includes("pass_at_k") && answered.length < config.pass_k
          ? answered.map(() => null)
          : scoreGenerations(config, questionOf(group[0]), answered.map((r) => r.response!));
    for (const record of group) {
      const rest = { ...record, run_id: undefined };
      const i = answered.indexOf(record);
      const s = i === -1 ? null : scored[i];
      const next = i === -1 ? rest : { ...rest, extracted: s?.extracted ?? null, score: s?.score ?? null, scores: s?.scores ?? {} };
      if (next.score !== record.score) changed += 1;
      rescored.push(next);
    }
  }
  const { created } = await writeImports(workspace, [{ run, records: rescored }]);
  if (created.length === 0) throw new Error(`run ${newId} exists already: it was re-scored within this second; try again`);
  return { runId: newId, manifest: created[0], changed };
}
