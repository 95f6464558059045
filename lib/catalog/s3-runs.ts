import { mapAtMost } from "@/lib/s3/at-most";
import type { ObjectInfo } from "@/lib/s3/objects";
import { RUNS_DIR } from "@/lib/workspace/paths";
import { leaseMs, runObjects, runPrefix } from "@/lib/workspace/s3/run-objects";
import { timeStamp } from "./entries";
import type { RunFileSize } from "./folder-sizes";
import { storeSize } from "./list";
import type { S3Store } from "./s3-store";

/** Objects asked for by each request of a listing of runs/: S3 gives 1,000 at most, some servers more. */
const LISTING_PAGE = 100_000;

/** Requests at once when only some runs are checked (a page of the runs table). */
const LISTINGS_AT_ONCE = 16;

/** What a listing of a bucket's run objects tells about each run, without reading any object. */
export interface BucketRunChecks {
  /** When the listing started, as catalog keys start: a state indexed later may postdate it. */
  since: string;
  size: RunFileSize;
  /** Whether a run's newest writer stopped renewing its lease: a "running" run is then interrupted. */
  leaseLapsed(runId: string): boolean;
}

function checksOf(since: Date, byRun: Map<string, ObjectInfo[]>, unlisted: RunFileSize): BucketRunChecks {
  const now = Date.now();
  const lease = leaseMs();
  const objects = (runId: string) => runObjects(runId, byRun.get(runId) ?? []);
  return {
    since: timeStamp(since),
    size: async (runId, file) => {
      const found = objects(runId).files.get(file)?.size;
      return found ?? unlisted(runId, file);
    },
    leaseLapsed: (runId) => {
      const held = objects(runId).lease;
      return held !== null && now - held.object.modified.getTime() >= lease;
    },
  };
}

/**
 * Every run's objects from one listing of runs/ (1,000 objects a request): the sizes and leases
 * of 100,000 runs without a request per run.
 */
export async function scanBucketRuns(store: S3Store): Promise<BucketRunChecks> {
  const since = new Date();
  const byRun = new Map<string, ObjectInfo[]>();
  for (const object of await store.objects.list(`${RUNS_DIR}/`, LISTING_PAGE)) {
    const runId = object.key.split("/")[1];
    const objects = byRun.get(runId);
    if (objects) objects.push(object);
    else byRun.set(runId, [object]);
  }
  // a file the listing did not hold is asked for again: its run may have started since
  return checksOf(since, byRun, storeSize(store));
}

/**
 * The checks of a page of the runs table, before the rest: a HEAD per file of a finished run, and a
 * listing of each `running` run's objects, for its lease (a listing of runs/ walks every run on
 * some servers, s3rver among them).
 */
export async function checkBucketRuns(store: S3Store, running: readonly string[]): Promise<BucketRunChecks> {
  const since = new Date();
  const listings = await mapAtMost(running, LISTINGS_AT_ONCE, (runId) => store.objects.list(runPrefix(runId)));
  return checksOf(since, new Map(running.map((runId, i) => [runId, listings[i]])), storeSize(store));
}

/**
 * A bucket's whole runs/ is listed again this long after the last listing ended, and at least four
 * times as long as it took: a slow server is busy with it a fifth of the time at most.
 */
const RESCAN_MS = 60_000;

interface Scan {
  /** When the next listing may start; Infinity while this one runs. */
  due: number;
  done: BucketRunChecks | null;
  failure: Error | null;
}

const scans = new Map<string, Scan>();

/** The last finished listing of every run in the bucket, for the runs page; null until the first ends. */
export function lastBucketScan(store: S3Store): BucketRunChecks | null {
  const scan = scans.get(store.location);
  if (scan?.failure) {
    scans.delete(store.location);
    throw scan.failure;
  }
  return scan?.done ?? null;
}

/**
 * Starts the next listing of every run in the background once it is due (the runs page calls it
 * after its own rows are checked, so they do not wait behind it); one that fails is thrown by the
 * next lastBucketScan.
 */
export function refreshBucketScan(store: S3Store): void {
  const scan = scans.get(store.location);
  if (scan && Date.now() < scan.due) return;
  const started = Date.now();
  const next: Scan = { due: Infinity, done: scan?.done ?? null, failure: null };
  scans.set(store.location, next);
  scanBucketRuns(store).then(
    (checks) => Object.assign(next, { done: checks, due: Date.now() + Math.max(RESCAN_MS, 4 * (Date.now() - started)) }),
    (error: Error) => Object.assign(next, { failure: error }),
  );
}
