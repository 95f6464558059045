import { mapAtMost } from "@/lib/s3/at-most";
import type { ObjectInfo } from "@/lib/s3/objects";
import { RUNS_DIR } from "@/lib/workspace/paths";
import { leaseMs, runObjects, runPrefix } from "@/lib/workspace/s3/run-objects";
import type { RunFileSize } from "./folder-sizes";
import { storeSize } from "./list";
import type { S3Store } from "./s3-store";

/** Requests at once when only some runs are checked (a page of the runs table). */
const LISTINGS_AT_ONCE = 16;

/** What a listing of a bucket's run objects tells about each run, without reading any object. */
export interface BucketRunChecks {
  size: RunFileSize;
  /** Whether a run's newest writer stopped renewing its lease: a "running" run is then interrupted. */
  leaseLapsed(runId: string): boolean;
}

function checksOf(byRun: Map<string, ObjectInfo[]>, unlisted: RunFileSize): BucketRunChecks {
  const now = Date.now();
  const lease = leaseMs();
  const objects = (runId: string) => runObjects(runId, byRun.get(runId) ?? []);
  return {
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
  const byRun = new Map<string, ObjectInfo[]>();
  for (const object of await store.objects.list(`${RUNS_DIR}/`)) {
    const runId = object.key.split("/")[1];
    const objects = byRun.get(runId);
    if (objects) objects.push(object);
    else byRun.set(runId, [object]);
  }
  // a file the listing did not hold is asked for again: its run may have started since
  return checksOf(byRun, storeSize(store));
}

/**
 * The checks of a page of the runs table, before the rest: a HEAD per file of a finished run, and a
 * listing of each `running` run's objects, for its lease (a listing of runs/ walks every run on
 * some servers, s3rver among them).
 */
export async function checkBucketRuns(store: S3Store, running: readonly string[]): Promise<BucketRunChecks> {
  const listings = await mapAtMost(running, LISTINGS_AT_ONCE, (runId) => store.objects.list(runPrefix(runId)));
  return checksOf(new Map(running.map((runId, i) => [runId, listings[i]])), storeSize(store));
}
