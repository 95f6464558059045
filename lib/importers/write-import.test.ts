import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { listRuns } from "@/lib/catalog/list";
import { newRun, record, tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { importPaths } from "./index";
import { FIXTURES } from "./testing";
import { writeImports } from "./write-import";

const importRun = (id: string) => newRun({ run_id: id, source: { kind: "import", tool: "test", path: "x" } });

describe("writeImports: all or nothing", () => {
  it("writes every run complete, leaving nothing but run folders and their catalog entries", async () => {
    const ws = tempWorkspace();
    const { created } = await writeImports(ws, [{ run: importRun("a"), records: [record(1), record(2)] }, { run: importRun("b"), records: [record(1)] }]);
    expect(created.map((m) => [m.run_id, m.status, m.counts.done, m.counts.planned])).toEqual([["a", "complete", 2, 2], ["b", "complete", 1, 1]]);
    expect(fs.readdirSync(ws).sort()).toEqual(["index", "runs"]);
    expect((await listRuns(ws)).every((e) => e.ok)).toBe(true);
    // again with one new run: only the runs already there are named as existing
    const again = await writeImports(ws, [{ run: importRun("a"), records: [record(1)] }, { run: importRun("c"), records: [record(1)] }]);
    expect([again.existing, again.created.map((m) => m.run_id)]).toEqual([["a"], ["c"]]);
  });

  it("takes back the runs it moved when their catalog entries cannot be written, and says why", async () => {
    const ws = tempWorkspace();
    // a file where the catalog's folder goes: the runs are in runs/ when writing their entries fails
    fs.writeFileSync(path.join(ws, "index"), "");
    await expect(writeImports(ws, [{ run: importRun("a"), records: [record(1)] }, { run: importRun("b"), records: [record(1)] }])).rejects.toThrow(/^(ENOTDIR|EEXIST)/);
    expect(fs.readdirSync(path.join(ws, "runs"))).toEqual([]);
    expect(fs.readdirSync(ws).sort()).toEqual(["index", "runs"]);
  });

  it("leaves no run folder and no staging folder behind when a later run fails", async () => {
    const ws = tempWorkspace();
    const broken = { ...record(2), instance_hash: "" };
    await expect(writeImports(ws, [{ run: importRun("good"), records: [record(1)] }, { run: importRun("bad"), records: [record(1), broken] }])).rejects.toThrow(/instance_hash/);
    expect(fs.readdirSync(ws).filter((f) => f !== "runs")).toEqual([]);
    expect(fs.readdirSync(path.join(ws, "runs"))).toEqual([]);
  });

  it("refuses two runs with one id in the same import", async () => {
    await expect(writeImports(tempWorkspace(), [{ run: importRun("same"), records: [record(1)] }, { run: importRun("same"), records: [record(1)] }])).rejects.toThrow(/two runs of this import have the id same/);
  });

  it("writes nothing when one source of the import is bad", async () => {
    const ws = tempWorkspace();
    await expect(importPaths(ws, [path.join(FIXTURES, "olmo-eval"), path.join(FIXTURES, "inspect", "unknown-score.eval")])).rejects.toThrow(/score value "maybe"/);
    expect(fs.existsSync(path.join(ws, "runs")) ? fs.readdirSync(path.join(ws, "runs")) : []).toEqual([]);
  });
});

describe("what a killed import leaves behind", () => {
  it("is cleared by the next import: staging folders in the workspace, extracted entries in the temp folder, of dead processes only", async () => {
    const ws = tempWorkspace();
    const dead = spawnSync("true").pid!;
    const leftovers = [path.join(ws, `.import-${dead}-abc`), path.join(os.tmpdir(), `evalbench-import-${dead}-abc`)];
    const inUse = [path.join(ws, `.import-${process.pid}-in-use`), path.join(os.tmpdir(), `evalbench-import-${process.pid}-in-use`)];
    for (const dir of [...leftovers, ...inUse]) fs.mkdirSync(path.join(dir, "runs"), { recursive: true });
    await importPaths(ws, [path.join(FIXTURES, "olmo-eval")]);
    expect(leftovers.filter((dir) => fs.existsSync(dir))).toEqual([]);
    expect(inUse.filter((dir) => fs.existsSync(dir))).toEqual(inUse);
    for (const dir of inUse) fs.rmSync(dir, { recursive: true });
  });
});
