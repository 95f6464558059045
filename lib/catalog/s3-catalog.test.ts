import path from "node:path";
import { parquetMetadata } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseS3Url } from "@/lib/s3/location";
import { S3Objects } from "@/lib/s3/objects";
import { startS3Server, type S3Server } from "@/lib/s3/testing/s3-server";
import { MANIFEST_FILE, RECORDS_FILE } from "@/lib/workspace/paths";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { compactCatalog } from "./compact";
import { encodeCompacted } from "./compacted";
import { COMPACTED_KEY, ENTRIES_DIR, INDEX_DIR } from "./entries";
import { listCatalog } from "./list";
import { readCatalog } from "./read";
import { reindex } from "./reindex";
import { runsPage, runsQueryFrom } from "./runs-query";
import { S3Store } from "./s3-store";
import { catalogStore, ObjectReplacedError } from "./store";
import { writeBucketRun } from "./testing/bucket-run";
import { spawnChild } from "./testing/spawn-child";

// The catalog's index in a bucket workspace, against a real S3 API server (s3rver) in its own process.
const BUCKET = "catalog-evals";
let s3: S3Server;

beforeAll(async () => {
  s3 = await startS3Server([BUCKET]);
  process.env.XDG_CACHE_HOME = tempWorkspace();
}, 60_000);

afterAll(() => s3?.close());

const bucketWorkspace = (name: string) => `s3://${BUCKET}/${name}`;
const objectsOf = (workspace: string) => new S3Objects(parseS3Url(workspace));
const statuses = async (workspace: string) => Object.fromEntries((await listCatalog(workspace)).map((run) => [run.run_id, run.problem ?? run.status]));

describe("the catalog of a bucket workspace", () => {
  it("three writer machines and a process compacting all the while: every run ends in its last state, listed from the index", async () => {
    const workspace = bucketWorkspace("many-writers");
    const stop = path.join(tempWorkspace(), "stop");
    const compactor = spawnChild("compact-loop.ts", [workspace, stop]);
    // each writer a machine of its own: its own local mirror of the bucket
    const writers = ["w1", "w2", "w3"].map((prefix) => spawnChild("write-bucket-runs.ts", [workspace, prefix, "12"], { ...process.env, XDG_CACHE_HOME: tempWorkspace() }));
    await Promise.all(writers);
    const { writeFileSync } = await import("node:fs");
    writeFileSync(stop, "");
    const compactions = Number(await compactor);
    const expected = Object.fromEntries(["w1", "w2", "w3"].flatMap((prefix) => Array.from({ length: 12 }, (_, i) => [`${prefix}-${i}`, i % 5 === 4 ? "failed" : "complete"])));
    // the index as the writers and the compactor left it (a listing would rebuild a missing one)
    const store = await catalogStore(workspace);
    const indexed = async () => Object.fromEntries((await readCatalog(store)).rows.map((row) => [row.run_id, row.summary?.status]));
    expect(await indexed()).toEqual(expected);
    expect(await statuses(workspace)).toEqual(expected);
    // the race was real: compactions folded entries while the writers wrote
    expect(compactions).toBeGreaterThan(0);
    await compactCatalog(store);
    expect(await store.list(ENTRIES_DIR)).toEqual([]);
    expect(await indexed()).toEqual(expected);
  }, 180_000);

  it("a run gone or changed since it was indexed is listed broken with the reason, on the runs page too; reindex repairs the index", async () => {
    const workspace = bucketWorkspace("broken");
    for (const [i, id] of ["kept", "removed", "edited", "cut"].entries()) await writeBucketRun(workspace, id, { step: i });
    const objects = objectsOf(workspace);
    for (const object of await objects.list("runs/removed/")) await objects.delete(object.key);
    const manifest = JSON.parse((await objects.read(`runs/edited/${MANIFEST_FILE}`))!.toString());
    await objects.replace(`runs/edited/${MANIFEST_FILE}`, JSON.stringify({ ...manifest, notes: "edited by hand" }, null, 2));
    const records = (await objects.read(`runs/cut/${RECORDS_FILE}`))!;
    await objects.replace(`runs/cut/${RECORDS_FILE}`, records.subarray(0, records.length - 10));

    const reasons = {
      kept: "complete",
      removed: expect.stringMatching(/^the index lists this run but its folder has no run\.json: it was removed or moved; evalbench reindex drops it/),
      edited: expect.stringMatching(/^run\.json changed since it was indexed \(\d+ bytes, the index recorded \d+\); evalbench reindex reads it again/),
      cut: expect.stringMatching(/records\.parquet is \d+ bytes but run\.json recorded \d+: the file is truncated/),
    };
    expect(await statuses(workspace)).toEqual(reasons);

    // the runs page checks its own rows at once, and every run by a listing of runs/ in the background
    const query = runsQueryFrom(new URLSearchParams());
    const first = await runsPage(workspace, query);
    expect(Object.fromEntries(first.rows.map((row) => [row.runId, row.problem ?? row.status]))).toEqual(reasons);
    expect(first.broken).toEqual([]);
    await vi.waitFor(async () => expect((await runsPage(workspace, query)).checked.at).not.toBeNull(), { timeout: 10_000, interval: 100 });
    const page = await runsPage(workspace, query);
    expect(page.checked.error).toBeNull();
    expect(Object.fromEntries(page.broken.map((run) => [run.runId, run.reason]))).toEqual({ removed: reasons.removed, edited: reasons.edited, cut: reasons.cut });

    const report = await reindex(workspace);
    expect(report).toMatchObject({ runs: 3, dropped: ["removed"], repaired: ["cut", "edited"] });
    expect(report.broken).toEqual([{ run_id: "cut", error: expect.stringMatching(/records\.parquet is \d+ bytes but run\.json recorded \d+/) }]);
    expect(await statuses(workspace)).toEqual({ kept: "complete", edited: "complete", cut: expect.stringMatching(/records\.parquet is \d+ bytes/) });
    expect(JSON.parse((await listCatalog(workspace, { manifests: true })).find((run) => run.run_id === "edited")!.manifest!).notes).toBe("edited by hand");
    expect(await (await catalogStore(workspace)).list(ENTRIES_DIR)).toEqual([]);

    // a records object changed in place (same size): only --verify, which reads it, can tell
    const kept = (await objects.read(`runs/kept/${RECORDS_FILE}`))!;
    kept[Math.floor(kept.length / 2)] ^= 0xff;
    await objects.replace(`runs/kept/${RECORDS_FILE}`, kept);
    expect((await reindex(workspace)).broken.map((run) => run.run_id)).toEqual(["cut"]);
    expect((await reindex(workspace, { verify: true })).broken).toEqual([
      { run_id: "cut", error: expect.any(String) },
      { run_id: "kept", error: expect.stringMatching(/^records\.parquet has changed since the run was written \(its sha256 is/) },
    ]);
  }, 120_000);

  it("a bucket written before the index is indexed on its first listing", async () => {
    const workspace = bucketWorkspace("before-index");
    await writeBucketRun(workspace, "old-1", { step: 1 });
    await writeBucketRun(workspace, "old-2", { step: 2, fail: true });
    const objects = objectsOf(workspace);
    for (const object of await objects.list(`${INDEX_DIR}/`)) await objects.delete(object.key);
    expect(await statuses(workspace)).toEqual({ "old-1": "complete", "old-2": "failed" });
    expect((await objects.list(COMPACTED_KEY)).map((object) => object.key)).toEqual([COMPACTED_KEY]);
  }, 60_000);

  it("a listing reads the index's facts by Range, not its manifests; an unchanged index costs a HEAD; one replaced while read is read again", async () => {
    const workspace = bucketWorkspace("by-range");
    await writeBucketRun(workspace, "r", { step: 1 });
    // an index of 3,000 runs (their run folders are not read here), big enough that a read of its
    // footer (hyparquet asks for the last 512 KB) is not the whole file
    const [run] = (await readCatalog(await catalogStore(workspace), { manifests: true })).rows;
    const all = Array.from({ length: 3000 }, (_, i) => `r${i}`);
    await (await catalogStore(workspace)).replace(COMPACTED_KEY, encodeCompacted(all.map((runId, i) => ({ ...run, run_id: runId, key: `${run.key}${i}`, manifest: JSON.stringify({ ...JSON.parse(run.manifest!), run_id: runId, notes: `${runId} `.repeat(200) }) }))));
    for (const entry of await (await catalogStore(workspace)).list(ENTRIES_DIR)) await (await catalogStore(workspace)).delete(`${ENTRIES_DIR}/${entry}`);
    const objects = new CountingObjects(parseS3Url(workspace));
    const store = new S3Store(objects);
    const file = (await objects.read(COMPACTED_KEY))!;
    const manifestBytes = parquetMetadata(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer)
      .row_groups.flatMap((group) => group.columns)
      .filter((column) => column.meta_data!.path_in_schema[0] === "manifest")
      .reduce((sum, column) => sum + Number(column.meta_data!.total_compressed_size), 0);
    // the manifests are most of the index, as at 100,000 runs
    expect(manifestBytes).toBeGreaterThan(0.8 * file.length);

    const ids = (rows: { run_id: string }[]) => rows.map((row) => row.run_id).sort();
    all.sort();
    expect(ids((await readCatalog(store)).rows)).toEqual(all);
    expect(objects.downloaded).toBeGreaterThan(0);
    // the facts' columns and the footer's 512 KB, of a file of 4 MB
    expect(objects.downloaded).toBeLessThan(file.length - manifestBytes + 512 * 1024);
    const facts = objects.downloaded;
    expect(ids((await readCatalog(store)).rows)).toEqual(all);
    expect(objects.downloaded).toBe(facts);
    // with manifests (ls --json, compaction), the manifest column too
    const withManifests = (await readCatalog(store, { manifests: true })).rows;
    expect(withManifests.map((row) => JSON.parse(row.manifest!).run_id).sort()).toEqual(all);

    // the index replaced after it was opened: its parts are refused (If-Match), not mixed with the new file's
    await writeBucketRun(workspace, "late", { step: 9 });
    const opened = (await store.open(COMPACTED_KEY))!;
    await compactCatalog(await catalogStore(workspace));
    await expect(opened.slice(0, 4)).rejects.toThrow(ObjectReplacedError);
    // a compaction between a listing's HEAD and its first Range: the listing reads the new index
    await writeBucketRun(workspace, "later", { step: 10 });
    objects.beforeRange = async () => {
      objects.beforeRange = null;
      await compactCatalog(await catalogStore(workspace));
    };
    expect(ids((await readCatalog(store)).rows)).toEqual([...all, "late", "later"].sort());
    expect(objects.beforeRange).toBeNull();
    expect(await objects.list(`${ENTRIES_DIR}/`)).toEqual([]);
  }, 120_000);
});

/** The bucket's objects, counting the bytes read by Range from one version, with a hook run before each such read. */
class CountingObjects extends S3Objects {
  downloaded = 0;
  beforeRange: (() => Promise<void>) | null = null;

  async readVersionRange(key: string, etag: string, start: number, end: number): Promise<Uint8Array | null> {
    await this.beforeRange?.();
    const part = await super.readVersionRange(key, etag, start, end);
    this.downloaded += part?.length ?? 0;
    return part;
  }
}
