import fs from "node:fs";
import path from "node:path";
import { parquetMetadata } from "hyparquet";
import { describe, expect, it } from "vitest";
import { RunWriter } from "@/lib/workspace/run-writer";
import { MANIFEST_FILE, RECORDS_FILE, runDir } from "@/lib/workspace/paths";
import { newRun, record, tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { compactCatalog, STALE_LOCK_MS } from "./compact";
import { COMPACTED_KEY, ENTRIES_DIR, LOCK_KEY, entryName, entryText, newKey, runState } from "./entries";
import { listCatalog, listRuns } from "./list";
import { latestStates, readCatalog } from "./read";
import { reindex } from "./reindex";
import { catalogStore, LocalStore, type CatalogStore } from "./store";
import { spawnChild } from "./testing/spawn-child";

function finishedRun(ws: string, runId: string, step = 1) {
  const writer = RunWriter.create(ws, newRun({ run_id: runId, model: { name: "tiny", checkpoint: `step${step}`, step } }));
  for (let i = 0; i < 3; i++) writer.append(record(i));
  return writer.finalize();
}

const entryFiles = (ws: string) => fs.readdirSync(path.join(ws, ENTRIES_DIR)).filter((name) => name.endsWith(".json"));
const statuses = async (ws: string) => Object.fromEntries((await listCatalog(ws)).map((run) => [run.run_id, run.problem ?? run.status]));

describe("entries: one file per state change, the last state wins", () => {
  it("a run's start and end are two entries; the listing shows its last state, and its facts", async () => {
    const ws = tempWorkspace();
    const writer = RunWriter.create(ws, newRun({ run_id: "r1", counts: { planned: 3 } }));
    expect(entryFiles(ws)).toHaveLength(1);
    expect(await statuses(ws)).toEqual({ r1: "running" });
    for (let i = 0; i < 3; i++) writer.append(record(i));
    writer.finalize();
    expect(entryFiles(ws)).toHaveLength(2);
    const [run] = await listCatalog(ws);
    expect(run).toMatchObject({ run_id: "r1", status: "complete", problem: null, summary: { n: 3, planned: 3, metric: "exact_match", model: "tiny", step: 100, status: "complete" } });
    expect(run.summary?.value).toBeCloseTo(1 / 3, 12);
  });

  it("compaction folds the entries into one Parquet file and removes them; the listing is unchanged", async () => {
    const ws = tempWorkspace();
    for (let i = 0; i < 5; i++) finishedRun(ws, `r${i}`, i);
    const cancelled = RunWriter.create(ws, newRun({ run_id: "stopped" }));
    cancelled.end("cancelled", "by the test");
    const before = await listRuns(ws);
    expect(await compactCatalog(await catalogStore(ws))).toEqual({ runs: 6, folded: 12 });
    expect(entryFiles(ws)).toEqual([]);
    expect(fs.existsSync(path.join(ws, COMPACTED_KEY))).toBe(true);
    expect(await listRuns(ws)).toEqual(before);
    // the manifests are stored as they are (ls --json prints them whole), the facts compressed
    const file = fs.readFileSync(path.join(ws, COMPACTED_KEY));
    const codecs = parquetMetadata(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength)).row_groups[0].columns.map((c) => [c.meta_data?.path_in_schema[0], c.meta_data?.codec]);
    expect(Object.fromEntries(codecs)).toMatchObject({ manifest: "UNCOMPRESSED", run_id: "SNAPPY", s_value: "SNAPPY" });
    // a later state change lands beside the compacted file and wins over it
    RunWriter.resume(ws, "stopped").finalize();
    expect((await statuses(ws)).stopped).toBe("complete");
  });

  it("compaction does not remove an entry written after it listed them", async () => {
    const ws = tempWorkspace();
    finishedRun(ws, "early");
    const local = new LocalStore(ws);
    let raced = false;
    // a writer's entry lands between the compaction's listing and its rename
    const racing: CatalogStore = Object.assign(Object.create(local) as LocalStore, {
      async list(prefix: string) {
        const names = await local.list(prefix);
        if (!raced && prefix === ENTRIES_DIR) {
          raced = true;
          finishedRun(ws, "late");
        }
        return names;
      },
    });
    expect(await compactCatalog(racing)).toEqual({ runs: 1, folded: 2 });
    expect(entryFiles(ws)).toHaveLength(2);
    expect(await statuses(ws)).toEqual({ early: "complete", late: "complete" });
  });

  it("one compaction at a time: a second finds the lock and does nothing; a lock left by a killed process is taken over", async () => {
    const ws = tempWorkspace();
    finishedRun(ws, "a");
    const store = await catalogStore(ws);
    await store.writeOnce(LOCK_KEY, JSON.stringify({ token: "other", at: new Date().toISOString() }));
    expect(await compactCatalog(store)).toBeNull();
    expect(entryFiles(ws)).toHaveLength(2);
    await store.replace(LOCK_KEY, JSON.stringify({ token: "other", at: new Date(Date.now() - STALE_LOCK_MS - 1000).toISOString() }));
    expect(await compactCatalog(store)).toEqual({ runs: 1, folded: 2 });
    expect(fs.existsSync(path.join(ws, LOCK_KEY))).toBe(false);
  });

  it("one process's keys keep their order within one millisecond (a run started and failed at once)", () => {
    const at = new Date();
    const keys = Array.from({ length: 50 }, () => newKey(at));
    expect([...keys].sort()).toEqual(keys);
  });

  it("writeOnce never overwrites: a second object under one key is refused", async () => {
    const store = await catalogStore(tempWorkspace());
    await store.writeOnce("index/x", "first");
    await expect(store.writeOnce("index/x", "second")).rejects.toThrow(/index\/x already exists/);
    expect((await store.read("index/x"))?.toString()).toBe("first");
  });

  it("a reader that finds a listed entry gone (folded meanwhile) reads again", async () => {
    const ws = tempWorkspace();
    finishedRun(ws, "a");
    const local = new LocalStore(ws);
    let compacted = false;
    const racing: CatalogStore = Object.assign(Object.create(local) as LocalStore, {
      async read(key: string) {
        if (!compacted && key.startsWith(ENTRIES_DIR)) {
          compacted = true;
          await compactCatalog(local);
        }
        return local.read(key);
      },
    });
    const snapshot = await readCatalog(racing);
    expect(snapshot.rows.map((row) => [row.run_id, row.summary?.status])).toEqual([["a", "complete"]]);
    expect(snapshot.entries).toEqual([]);
  });
});

describe("many writers at once", () => {
  it("four writer processes and a process compacting all the while: every run's last state is in the catalog", async () => {
    const ws = tempWorkspace();
    const stop = path.join(ws, "stop");
    const compactor = spawnChild("compact-loop.ts", [ws, stop]);
    // a server lists all the while, keeping what it read (the compacted file by version, entries parsed once)
    let writing = true;
    let serverListings = 0;
    const server = (async () => {
      // from the start: before the first entry, a listing indexes the new folders itself (the
      // workspace from before the index), or reads them while the compactor holds the lock
      for (; writing; serverListings++) await listCatalog(ws, { check: false });
    })();
    await Promise.all(["w1", "w2", "w3", "w4"].map((prefix) => spawnChild("write-runs.ts", [ws, prefix, "40"])));
    writing = false;
    await server;
    fs.writeFileSync(stop, "");
    const compactions = Number(await compactor);
    const kept = Object.fromEntries((await listCatalog(ws, { check: false })).map((run) => [run.run_id, run.problem ?? run.status]));
    const listed = await statuses(ws);
    expect(Object.keys(listed)).toHaveLength(160);
    for (const prefix of ["w1", "w2", "w3", "w4"]) {
      for (let i = 0; i < 40; i++) expect(listed[`${prefix}-${i}`], `${prefix}-${i}`).toBe(i % 5 === 4 ? "failed" : "complete");
    }
    expect(serverListings).toBeGreaterThan(5);
    expect(kept).toEqual(listed);
    // the race was real: compactions folded entries while the writers wrote
    expect(compactions).toBeGreaterThan(0);
    await compactCatalog(await catalogStore(ws));
    expect(entryFiles(ws)).toEqual([]);
    expect(Object.keys(await statuses(ws))).toHaveLength(160);
  }, 120_000);
});

describe("the listing a server keeps between requests", () => {
  it("is the same objects while the index is unchanged, and reads a new entry and a replaced compacted file", async () => {
    const ws = tempWorkspace();
    for (const id of ["a", "b"]) finishedRun(ws, id);
    await compactCatalog(await catalogStore(ws));
    const first = await listCatalog(ws, { check: false });
    expect((await listCatalog(ws, { check: false }))[0]).toBe(first[0]);
    const writer = RunWriter.create(ws, newRun({ run_id: "c" }));
    expect((await listCatalog(ws, { check: false })).map((run) => [run.run_id, run.status])).toContainEqual(["c", "running"]);
    writer.end("cancelled", "by the test");
    // folded by another compaction: the same size of file is no sign it is the same file
    await compactCatalog(await catalogStore(ws));
    expect(entryFiles(ws)).toEqual([]);
    expect(Object.fromEntries((await listCatalog(ws, { check: false })).map((run) => [run.run_id, run.status]))).toEqual({ a: "complete", b: "complete", c: "cancelled" });
  });

  it("the last state wins between the compacted file and an entry, whichever is newer", () => {
    const row = (key: string, status: string) => ({ key, run_id: "r", status }) as unknown as Parameters<typeof latestStates>[0][number];
    expect(latestStates([row("2", "complete")], [row("1", "running")]).map((r) => r.key)).toEqual(["2"]);
    expect(latestStates([row("1", "running")], [row("3", "failed"), row("2", "complete")]).map((r) => r.key)).toEqual(["3"]);
    expect(latestStates([row("1", "running")], [])).toHaveLength(1);
  });
});

describe("a run gone or changed since it was indexed", () => {
  it("is listed broken with the reason; reindex repairs the index", async () => {
    const ws = tempWorkspace();
    finishedRun(ws, "kept");
    finishedRun(ws, "removed");
    finishedRun(ws, "edited");
    finishedRun(ws, "cut");
    fs.rmSync(runDir(ws, "removed"), { recursive: true });
    const manifestFile = path.join(runDir(ws, "edited"), MANIFEST_FILE);
    fs.writeFileSync(manifestFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(manifestFile, "utf8")), notes: "edited by hand" }, null, 2));
    const records = path.join(runDir(ws, "cut"), RECORDS_FILE);
    fs.truncateSync(records, fs.statSync(records).size - 10);

    const listed = await statuses(ws);
    expect(listed.kept).toBe("complete");
    expect(listed.removed).toMatch(/^the index lists this run but its folder has no run\.json: it was removed or moved; evalbench reindex drops it/);
    expect(listed.edited).toMatch(/^run\.json changed since it was indexed \(\d+ bytes, the index recorded \d+\); evalbench reindex reads it again/);
    expect(listed.cut).toMatch(/records\.parquet is \d+ bytes but run\.json recorded \d+: the file is truncated/);

    const report = await reindex(ws);
    expect(report).toMatchObject({ runs: 3, dropped: ["removed"], repaired: ["cut", "edited"] });
    expect(report.broken).toEqual([{ run_id: "cut", error: expect.stringMatching(/truncated/) }]);
    expect(await statuses(ws)).toEqual({ kept: "complete", edited: "complete", cut: expect.stringMatching(/truncated/) });
    expect((await listRuns(ws)).find((e) => e.run_id === "edited")?.manifest?.notes).toBe("edited by hand");
    // nothing loose is left: the rebuilt index is one compacted file
    expect(entryFiles(ws)).toEqual([]);
  });

  it("is listed broken when read from the compacted file too", async () => {
    const ws = tempWorkspace();
    for (const id of ["kept", "removed", "edited", "cut"]) finishedRun(ws, id);
    await compactCatalog(await catalogStore(ws));
    expect(entryFiles(ws)).toEqual([]);
    fs.rmSync(runDir(ws, "removed"), { recursive: true });
    fs.appendFileSync(path.join(runDir(ws, "edited"), MANIFEST_FILE), " ");
    const records = path.join(runDir(ws, "cut"), RECORDS_FILE);
    fs.truncateSync(records, fs.statSync(records).size - 10);
    const expected = {
      kept: "complete",
      removed: expect.stringMatching(/its folder has no run\.json/),
      edited: expect.stringMatching(/^run\.json changed since it was indexed/),
      cut: expect.stringMatching(/the file is truncated/),
    };
    expect(await statuses(ws)).toEqual(expected);
    // the same, the folders checked by the worker a large catalog gets
    const scanned = await listCatalog(ws, { scanFrom: 0 });
    expect(Object.fromEntries(scanned.map((run) => [run.run_id, run.problem ?? run.status]))).toEqual(expected);
  });

  it("reindex --verify finds a records file changed in place (same size); the listing cannot", async () => {
    const ws = tempWorkspace();
    finishedRun(ws, "a");
    const file = path.join(runDir(ws, "a"), RECORDS_FILE);
    const bytes = fs.readFileSync(file);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    fs.writeFileSync(file, bytes);
    expect(await statuses(ws)).toEqual({ a: "complete" });
    expect((await reindex(ws)).broken).toEqual([]);
    expect((await reindex(ws, { verify: true })).broken).toEqual([{ run_id: "a", error: expect.stringMatching(/^records\.parquet has changed since the run was written/) }]);
    expect((await statuses(ws)).a).toMatch(/has changed since the run was written/);
  });

  it("a workspace from before the index is indexed on its first listing", async () => {
    const ws = tempWorkspace();
    finishedRun(ws, "old-1");
    finishedRun(ws, "old-2");
    fs.rmSync(path.join(ws, "index"), { recursive: true });
    expect(await statuses(ws)).toEqual({ "old-1": "complete", "old-2": "complete" });
    expect(fs.existsSync(path.join(ws, COMPACTED_KEY))).toBe(true);
  });

  it("its first listing while another process holds the index's lock reads the runs without writing, instead of failing; the next one indexes", async () => {
    const ws = tempWorkspace();
    finishedRun(ws, "old-1");
    finishedRun(ws, "old-2");
    fs.rmSync(path.join(ws, "index"), { recursive: true });
    const store = await catalogStore(ws);
    await store.writeOnce(LOCK_KEY, JSON.stringify({ token: "other", at: new Date().toISOString() }));
    expect(await statuses(ws)).toEqual({ "old-1": "complete", "old-2": "complete" });
    expect(fs.existsSync(path.join(ws, COMPACTED_KEY))).toBe(false);
    await store.delete(LOCK_KEY);
    expect(await statuses(ws)).toEqual({ "old-1": "complete", "old-2": "complete" });
    expect(fs.existsSync(path.join(ws, COMPACTED_KEY))).toBe(true);
  });

  it("an entry file that is not valid says to reindex, and reindex removes it", async () => {
    const ws = tempWorkspace();
    const manifest = finishedRun(ws, "a");
    const entry = runState(manifest, "{}");
    fs.writeFileSync(path.join(ws, ENTRIES_DIR, entryName(entry)), entryText(entry).slice(0, 20));
    await expect(listCatalog(ws)).rejects.toThrow(/^catalog entry index\/entries\/.* is not valid JSON .*; run evalbench reindex to rebuild the index$/);
    await reindex(ws);
    expect(await statuses(ws)).toEqual({ a: "complete" });
  });
});
