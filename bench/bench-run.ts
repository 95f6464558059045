// The run every benchmark writes its records into.

/** The manifest fields of a bench run: what differs from one bench to another is passed in. */
export function benchRun(runId: string, planned: number, model: { checkpoint?: string; step?: number } = {}) {
  return {
    run_id: runId,
    model: { name: "bench", checkpoint: model.checkpoint ?? null, step: model.step ?? null },
    task: { name: "bench", hash: "bench" },
    harness: { name: "bench" },
    seed: 0,
    primary_metric: "exact_match",
    source: { kind: "run" as const },
    counts: { planned },
  };
}
