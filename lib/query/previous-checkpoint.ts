import type { RunManifest } from "@/lib/schema";
import type { CatalogEntry } from "@/lib/workspace/catalog";

/** Where a run sits in its model's training: by step when both runs have one, else by creation time. */
function before(a: RunManifest, b: RunManifest): boolean {
  if (a.model.step !== null && b.model.step !== null && a.model.step !== b.model.step) return a.model.step < b.model.step;
  return a.created_at < b.created_at;
}

/**
 * For every complete run, the complete run of the previous checkpoint of the same model on the
 * same task (and variant): what "did this checkpoint get better?" compares it with.
 */
export function previousCheckpoints(entries: readonly CatalogEntry[]): Map<string, string> {
  const groups = new Map<string, RunManifest[]>();
  for (const entry of entries) {
    if (!entry.ok || entry.status !== "complete") continue;
    const m = entry.manifest;
    const key = JSON.stringify([m.model.name, m.task.name, m.task.variant]);
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  const previous = new Map<string, string>();
  for (const runs of groups.values()) {
    const ordered = runs.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    for (let i = 1; i < ordered.length; i++) {
      // a re-run of the same checkpoint is no earlier checkpoint: look further back
      const earlier = ordered.slice(0, i).reverse().find((m) => m.model.checkpoint !== ordered[i].model.checkpoint || m.model.step !== ordered[i].model.step);
      if (earlier) previous.set(ordered[i].run_id, earlier.run_id);
    }
  }
  return previous;
}
