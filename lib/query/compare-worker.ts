/**
 * The compare page's two workers, both running compare.worker.ts: `stats` reads run A, aligns,
 * and computes the statistics and the table's order; `reader` reads run B at the same time, on
 * the other core, and hands its columns to `stats`.
 */
export interface CompareWorkers {
  stats: Worker;
  reader: Worker;
}

function startWorkers(): CompareWorkers {
  const start = () => new Worker(new URL("./compare.worker.ts", import.meta.url), { type: "module" });
  return { stats: start(), reader: start() };
}

let prestarted: CompareWorkers | null = null;

/**
 * Starts the workers before React has hydrated the page, so fetching and compiling their code
 * (about half a second on a cold load) overlaps hydration. Called once where the compare page's code loads.
 */
export function prestartCompareWorkers(): void {
  if (prestarted === null && typeof window !== "undefined") prestarted = startWorkers();
}

/** The prestarted workers when there are some, else new ones; the caller terminates them. */
export function takeCompareWorkers(): CompareWorkers {
  const workers = prestarted ?? startWorkers();
  prestarted = null;
  return workers;
}
