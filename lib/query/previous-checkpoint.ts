import type { ListedRun } from "@/lib/catalog/list";
import type { RunSummary } from "@/lib/catalog/summary";

type Listed = Pick<ListedRun, "run_id" | "status"> & { summary: RunSummary | null };

/** Where a run sits in its model's training: by step when both runs have one, else by creation time. */
function before(a: RunSummary, b: RunSummary): boolean {
  if (a.step !== null && b.step !== null && a.step !== b.step) return a.step < b.step;
  return a.created < b.created;
}

/**
 * For every complete run, the complete run of the previous checkpoint of the same model on the
 * same task (and variant): what "did this checkpoint get better?" compares it with.
 */
export function previousCheckpoints(runs: readonly Listed[]): Map<string, string> {
  const groups = new Map<string, { run_id: string; s: RunSummary }[]>();
  for (const run of runs) {
    if (run.status !== "complete" || run.summary === null) continue;
    const s = run.summary;
    const key = JSON.stringify([s.model, s.task_name, s.task_variant]);
    const group = groups.get(key);
    if (group) group.push({ run_id: run.run_id, s });
    else groups.set(key, [{ run_id: run.run_id, s }]);
  }
  const previous = new Map<string, string>();
  for (const group of groups.values()) {
    const ordered = group.sort((a, b) => (before(a.s, b.s) ? -1 : before(b.s, a.s) ? 1 : 0));
    for (let i = 1; i < ordered.length; i++) {
      // a re-run of the same checkpoint is no earlier checkpoint: look further back
      const { s } = ordered[i];
      for (let j = i - 1; j >= 0; j--) {
        if (ordered[j].s.checkpoint !== s.checkpoint || ordered[j].s.step !== s.step) {
          previous.set(ordered[i].run_id, ordered[j].run_id);
          break;
        }
      }
    }
  }
  return previous;
}
