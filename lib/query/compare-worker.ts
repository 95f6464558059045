/** The compare page's statistics worker (compare.worker.ts). */
function startWorker(): Worker {
  return new Worker(new URL("./compare.worker.ts", import.meta.url), { type: "module" });
}

let prestarted: Worker | null = null;

/**
 * Starts the worker before React has hydrated the page, so fetching and compiling its code (about
 * half a second on a cold load) overlaps hydration. Called once where the compare page's code loads.
 */
export function prestartCompareWorker(): void {
  if (prestarted === null && typeof window !== "undefined") prestarted = startWorker();
}

/** The prestarted worker when there is one, else a new one; the caller terminates it. */
export function takeCompareWorker(): Worker {
  const worker = prestarted ?? startWorker();
  prestarted = null;
  return worker;
}
