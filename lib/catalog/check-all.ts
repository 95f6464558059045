import type { BrokenRun } from "@/lib/query/runs";
import { checkAll, runProblem, type ListedRun } from "./list";
import { processWide } from "./process-wide";
import { catalogStore } from "./store";

/**
 * How often the runs page checks every run again, while it is open: each check stats every run's
 * two files (200,000 stats, about 0.9 CPU-seconds for 100,000 runs, on a worker thread), which at
 * 10 s slowed the pages served meanwhile on a busy machine. The rows shown are checked on every answer.
 * A check that took long (a bucket's listing of runs/ on a slow server) waits four times as long:
 * the server is busy with it a fifth of the time at most.
 */
export const CHECK_EVERY_MS = 30_000;

/** The last check of every run: when it ended, or why it failed. */
export interface EveryRunChecked {
  /** When the last check ended (ISO time); null until the first ends. */
  at: string | null;
  /** Why the last check failed, or null. */
  error: string | null;
  broken: BrokenRun[];
}

/** Runs checked between two turns of the server's event loop. */
const YIELD_EVERY = 1000;

interface Check {
  /** When the next check may start. */
  due: number;
  running: boolean;
  at: string | null;
  error: string | null;
  /** The runs found broken, with what their check rested on besides their files. */
  found: Map<string, { inputs: string; reason: string }>;
}

const checks = processWide("every-run-checks", () => new Map<string, Check>());

/** What a run's check reads from the index: the same facts and the same files give the same answer. */
const inputs = (run: ListedRun) => `${run.summary?.status}:${run.manifest_bytes}:${run.summary?.records_bytes}`;

async function check(workspace: string, listed: readonly ListedRun[]): Promise<Map<string, { inputs: string; reason: string }>> {
  // every run's files at once: a worker's stats of the folders, or one listing of a bucket's runs/
  const { size } = await checkAll(workspace, await catalogStore(workspace), 0);
  const found = new Map<string, { inputs: string; reason: string }>();
  for (const [i, run] of listed.entries()) {
    // the server answers requests meanwhile: 100,000 runs in one go would hold them for a second
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((resolve) => setImmediate(resolve));
    // a run the index holds as broken is listed broken already
    if (run.problem !== null) continue;
    const reason = await runProblem(size, { ...run, error: null });
    if (reason !== null) found.set(run.run_id, { inputs: inputs(run), reason });
  }
  return found;
}

/**
 * The runs of `listed` that the last check of every run found broken (still indexed as they were
 * then), and a new check started in the background when the last one is CHECK_EVERY_MS old: the
 * runs page answers from the index at once and checks the page it shows itself.
 */
export function checkEveryRun(workspace: string, listed: readonly ListedRun[], byId: ReadonlyMap<string, ListedRun>): EveryRunChecked {
  let last = checks.get(workspace);
  if (!last) checks.set(workspace, (last = { due: 0, running: false, at: null, error: null, found: new Map() }));
  const c = last;
  if (!c.running && Date.now() >= c.due) {
    c.running = true;
    const started = Date.now();
    check(workspace, listed).then(
      (found) => Object.assign(c, { found, at: new Date().toISOString(), error: null }),
      (error: Error) => Object.assign(c, { error: error.message }),
    ).finally(() => Object.assign(c, { running: false, due: Date.now() + Math.max(CHECK_EVERY_MS, 4 * (Date.now() - started)) }));
  }
  const broken = [...c.found].flatMap(([runId, found]) => {
    const run = byId.get(runId);
    return run && found.inputs === inputs(run) ? [{ runId, reason: found.reason }] : [];
  });
  return { at: c.at, error: c.error, broken };
}
