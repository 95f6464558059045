import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { requireRun } from "@/lib/compare/load-node";
import { readServerPreview } from "@/lib/query/server-preview";
import { resolveComparison } from "@/lib/server/comparison";
import { listRuns } from "@/lib/catalog/list";
import { reindex } from "@/lib/catalog/reindex";
import { readRun } from "./catalog";
import { runRecords } from "./records-source";
import { JOURNAL_FILE, MANIFEST_FILE, RECORDS_FILE, runDir } from "./paths";
import { RunWriter } from "./run-writer";
import { newRun, record, tempWorkspace } from "./testing/fixtures";

function finishedRun(ws: string, runId: string) {
  const writer = RunWriter.create(ws, newRun({ run_id: runId }));
  for (let i = 0; i < 3; i++) writer.append(record(i));
  return writer.finalize();
}

const reasonOf = async (ws: string, runId: string) => {
  const entry = (await listRuns(ws)).find((e) => e.run_id === runId);
  return entry && !entry.ok ? entry.error : `run ${runId} was not reported broken`;
};

describe("listRuns", () => {
  it("is empty for a workspace that does not exist yet", async () => {
    expect(await listRuns(path.join(tempWorkspace(), "nothing-here"))).toEqual([]);
  });

  it("lists good runs beside broken ones (after reindex, for folders made by hand), each broken run with its reason", async () => {
    const ws = tempWorkspace();
    finishedRun(ws, "good");

    finishedRun(ws, "truncated");
    const truncated = path.join(runDir(ws, "truncated"), RECORDS_FILE);
    fs.truncateSync(truncated, fs.statSync(truncated).size - 10);

    finishedRun(ws, "corrupt");
    const corrupt = path.join(runDir(ws, "corrupt"), RECORDS_FILE);
    const bytes = fs.readFileSync(corrupt);
    bytes.fill(0x41, bytes.length - 4);
    fs.writeFileSync(corrupt, bytes);

    finishedRun(ws, "missing");
    fs.rmSync(path.join(runDir(ws, "missing"), RECORDS_FILE));

    fs.mkdirSync(runDir(ws, "invalid"));
    fs.writeFileSync(path.join(runDir(ws, "invalid"), MANIFEST_FILE), JSON.stringify({ schema_version: 1, run_id: "invalid", status: "weird" }));

    fs.mkdirSync(runDir(ws, "future"));
    fs.writeFileSync(path.join(runDir(ws, "future"), MANIFEST_FILE), JSON.stringify({ schema_version: 99, run_id: "future" }));

    fs.mkdirSync(runDir(ws, "notjson"));
    fs.writeFileSync(path.join(runDir(ws, "notjson"), MANIFEST_FILE), "{ not json");

    fs.mkdirSync(runDir(ws, "empty"));

    // the listing checks sizes: the cut file shows at once; the others need their folders read
    expect(await reasonOf(ws, "truncated")).toMatch(/truncated/);
    expect(await reasonOf(ws, "missing")).toMatch(/records.parquet is missing/);
    expect((await listRuns(ws)).map((e) => e.run_id).sort()).toEqual(["corrupt", "good", "missing", "truncated"]);
    // a stray file beside the run folders is no run
    fs.writeFileSync(path.join(ws, "runs", "notes.txt"), "not a run");
    await reindex(ws);

    const entries = await listRuns(ws);
    expect(entries).toHaveLength(8);
    // the good run first: broken runs, which have no date to sort by, come last
    expect(entries.filter((e) => e.ok).map((e) => e.run_id)).toEqual(["good"]);
    expect(entries[0].run_id).toBe("good");
    expect(await reasonOf(ws, "truncated")).toMatch(/truncated/);
    expect(await reasonOf(ws, "corrupt")).toMatch(/no Parquet footer/);
    expect(await reasonOf(ws, "missing")).toMatch(/records.parquet is missing/);
    expect(await reasonOf(ws, "invalid")).toMatch(/is not valid: .*status/);
    expect(await reasonOf(ws, "future")).toMatch(/schema_version 99, newer than this evalbench reads \(1\)/);
    expect(await reasonOf(ws, "notjson")).toMatch(/is not valid JSON/);
    expect(await reasonOf(ws, "empty")).toMatch(/cannot read .*run.json: ENOENT/);
  });

  it("names an unreadable workspace when it rebuilds the index", async () => {
    const ws = tempWorkspace();
    fs.writeFileSync(path.join(ws, "runs"), "a file where the runs folder should be");
    await expect(reindex(ws)).rejects.toThrow(/cannot read the workspace .*ENOTDIR/);
  });
});

describe("every reader of a run is confined to the workspace", () => {
  // a run written elsewhere, reached through a symlinked run folder or a symlinked file
  const outside = tempWorkspace();
  finishedRun(outside, "secret");
  const ws = tempWorkspace();
  fs.mkdirSync(path.join(ws, "runs"));
  fs.symlinkSync(runDir(outside, "secret"), runDir(ws, "secret"));
  finishedRun(ws, "linked-records");
  fs.rmSync(path.join(runDir(ws, "linked-records"), RECORDS_FILE));
  fs.symlinkSync(path.join(runDir(outside, "secret"), RECORDS_FILE), path.join(runDir(ws, "linked-records"), RECORDS_FILE));

  it("the catalog, the run page and the comparison (readRun) name it broken; records are never read", async () => {
    for (const runId of ["secret", "linked-records"]) {
      const entry = readRun(ws, runId);
      expect(entry.ok, runId).toBe(false);
      expect(!entry.ok && entry.error).toMatch(/resolves outside the workspace/);
      expect(() => runRecords(ws, runId)).toThrow(/resolves outside the workspace/);
      // the run page's first questions: none, so the page shows only the reason
      expect(await readServerPreview(ws, runId)).toBeNull();
    }
    expect(await resolveComparison(ws, new URLSearchParams("a=secret&b=linked-records"))).toMatchObject({ ok: false, message: expect.stringMatching(/resolves outside the workspace/) });
  });

  it("a symlink into a sibling folder whose name extends the workspace's (ws, ws2) is outside too", () => {
    const sibling = `${ws}2`;
    finishedRun(sibling, "next-door");
    fs.symlinkSync(runDir(sibling, "next-door"), runDir(ws, "next-door"));
    expect(readRun(ws, "next-door")).toMatchObject({ ok: false, error: expect.stringMatching(/resolves outside the workspace/) });
  });
});

describe("a records file changed after the run was written", () => {
  it("is broken, with the reason, wherever runs are compared; listings check only size and footer", async () => {
    const ws = tempWorkspace();
    finishedRun(ws, "a");
    finishedRun(ws, "b");
    const file = path.join(runDir(ws, "a"), RECORDS_FILE);
    const original = fs.readFileSync(file);
    expect(readRun(ws, "a", { verify: true }).ok).toBe(true);
    const changed = Buffer.from(original);
    changed[Math.floor(changed.length / 2)] ^= 0xff; // same size, footer intact
    fs.writeFileSync(file, changed);

    expect(readRun(ws, "a").ok).toBe(true);
    expect(readRun(ws, "a", { verify: true })).toMatchObject({ ok: false, error: expect.stringMatching(/^records\.parquet has changed since the run was written \(its sha256 is [0-9a-f]{12}\.\.\., run\.json recorded [0-9a-f]{12}\.\.\.\): re-import or re-run/) });
    expect(await resolveComparison(ws, new URLSearchParams("a=a&b=b"))).toMatchObject({ ok: false, message: expect.stringMatching(/^The candidate run \(a\) cannot be read: records\.parquet has changed/) });
    await expect(requireRun(ws, "a")).rejects.toThrow(/run a cannot be read: records\.parquet has changed/);

    fs.writeFileSync(file, original);
    expect(readRun(ws, "a", { verify: true }).ok).toBe(true);
  });
});

describe("a run still being written", () => {
  /** A run opened by this process, its run.json then edited by `edit`. */
  function openRun(ws: string, runId: string, edit: (manifest: { status: string; writer: { pid: number; host: string } | null; counts: { done: number } }) => void = () => {}) {
    RunWriter.create(ws, newRun({ run_id: runId }));
    const file = path.join(runDir(ws, runId), MANIFEST_FILE);
    const manifest = JSON.parse(fs.readFileSync(file, "utf8"));
    edit(manifest);
    fs.writeFileSync(file, JSON.stringify(manifest));
  }
  const deadPid = () => spawnSync("true").pid!;

  it("is running while its writer lives, interrupted once it is gone, and running when written on another host (whose processes are not ours to see)", () => {
    const ws = tempWorkspace();
    openRun(ws, "alive");
    openRun(ws, "dead", (m) => (m.writer = { pid: deadPid(), host: os.hostname() }));
    openRun(ws, "elsewhere", (m) => (m.writer = { pid: deadPid(), host: "another-host" }));
    openRun(ws, "unowned", (m) => (m.writer = null));
    // a run that ended keeps its status, whatever writer its run.json still names
    openRun(ws, "ended", (m) => Object.assign(m, { status: "failed", writer: { pid: deadPid(), host: os.hostname() } }));
    const status = (runId: string) => {
      const entry = readRun(ws, runId);
      return entry.ok ? entry.status : entry.error;
    };
    expect(["alive", "dead", "elsewhere", "unowned", "ended"].map(status)).toEqual(["running", "interrupted", "running", "running", "failed"]);
  });

  it("is interrupted as soon as its writer was killed, while the dead process still waits to be reaped (a zombie)", async () => {
    const ws = tempWorkspace();
    // `sleep 0` exits at once; its parent, now `sleep 5`, never reaps it
    const parent = spawn("sh", ["-c", "sleep 0 & echo $!; exec sleep 5"], { stdio: ["ignore", "pipe", "ignore"] });
    try {
      const zombie = Number(await new Promise<string>((resolve) => parent.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString()))));
      await expect.poll(() => fs.readFileSync(`/proc/${zombie}/stat`, "utf8").split(") ").at(-1)![0]).toBe("Z");
      expect(() => process.kill(zombie, 0)).not.toThrow();
      openRun(ws, "killed", (m) => (m.writer = { pid: zombie, host: os.hostname() }));
      expect(readRun(ws, "killed")).toMatchObject({ ok: true, status: "interrupted" });
    } finally {
      parent.kill("SIGKILL");
    }
  });

  it("is broken when its journal is missing although run.json counts records, not before anything was recorded", () => {
    const ws = tempWorkspace();
    openRun(ws, "fresh");
    openRun(ws, "lost", (m) => (m.counts.done = 3));
    for (const runId of ["fresh", "lost"]) fs.rmSync(path.join(runDir(ws, runId), JOURNAL_FILE), { force: true });
    expect(readRun(ws, "fresh").ok).toBe(true);
    expect(readRun(ws, "lost")).toMatchObject({ ok: false, error: "records.ndjson is missing although run.json counts 3 records" });
  });
});

describe("readRun", () => {
  it("names a complete run whose run.json names no records file", () => {
    const ws = tempWorkspace();
    finishedRun(ws, "hollow");
    const file = path.join(runDir(ws, "hollow"), MANIFEST_FILE);
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, "utf8")), records: null }));
    expect(readRun(ws, "hollow")).toMatchObject({ ok: false, error: "run.json says complete but names no records file" });
  });

  it("reads a run still being written for a comparison: it has no records file to check yet", () => {
    const ws = tempWorkspace();
    RunWriter.create(ws, newRun({ run_id: "open" })).append(record(0));
    expect(readRun(ws, "open", { verify: true })).toMatchObject({ ok: true, status: "running" });
  });

  it("closes every records file it checks", () => {
    const ws = tempWorkspace();
    finishedRun(ws, "a");
    const open = () => fs.readdirSync("/proc/self/fd").length;
    readRun(ws, "a");
    const before = open();
    for (let i = 0; i < 20; i++) readRun(ws, "a");
    expect(open()).toBe(before);
  });

  it("names a run.json that belongs to another folder", () => {
    const ws = tempWorkspace();
    finishedRun(ws, "copied");
    fs.cpSync(runDir(ws, "copied"), runDir(ws, "copy"), { recursive: true });
    expect(readRun(ws, "copy")).toEqual({ run_id: "copy", ok: false, error: "run.json names run copied but sits in folder copy" });
  });

  it("lists runs newest first, and runs created at the same moment by id", async () => {
    const ws = tempWorkspace();
    // ids in the opposite order to their dates, so the order cannot come from the ids (or from the folder's listing)
    const runs = [["a", "2026-01-01"], ["b", "2026-01-02"], ["c", "2026-01-03"], ["d", "2026-01-02"], ["e", "2026-01-02"]];
    for (const [runId, created] of runs) {
      finishedRun(ws, runId);
      const file = path.join(runDir(ws, runId), MANIFEST_FILE);
      fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, "utf8")), created_at: `${created}T00:00:00.000Z` }));
    }
    // run.json edited by hand: the index learns it from reindex
    await reindex(ws);
    expect((await listRuns(ws)).map((e) => e.run_id)).toEqual(["c", "b", "d", "e", "a"]);
  });
});
