import { RunWriter } from "@/lib/workspace/run-writer";
import { newRun, record } from "@/lib/workspace/testing/fixtures";

export interface FixtureRun {
  runId: string;
  model: string;
  step: number | null;
  checkpoint?: string;
  /** One 0/1 (or any) score per question q0, q1, ... */
  scores: readonly (number | null)[];
  taskHash?: string;
  /** Ends the run with this status and reason instead of finalizing it. */
  failed?: string;
  task?: string;
  /** A subtask per question, when the run has subtasks. */
  subtasks?: readonly string[];
}

/** Writes small runs of known per-question scores through the real writer, for hand-computed tests. */
export function writeFixtureRuns(workspace: string, runs: readonly FixtureRun[]): void {
  for (const run of runs) {
    const task = run.task ?? "gsm8k";
    const writer = RunWriter.create(
      workspace,
      newRun({ run_id: run.runId, model: { name: run.model, checkpoint: run.checkpoint ?? (run.step === null ? null : `step${run.step}`), step: run.step }, task: { name: task, hash: run.taskHash ?? "task-hash-1" } }),
      { flushIntervalMs: 60_000 },
    );
    run.scores.forEach((score, i) => writer.append(record(i, { task, subtask: run.subtasks?.[i] ?? null, score, scores: { exact_match: score }, error: score === null ? "endpoint error" : null })));
    if (run.failed) writer.end("failed", run.failed);
    else writer.finalize();
  }
}
