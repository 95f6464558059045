import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { listRuns } from "@/lib/workspace/catalog";
import { newRun, record, tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { importPaths } from "./index";
import { FIXTURES } from "./testing";
import { writeImports } from "./write-import";

const importRun = (id: string) => newRun({ run_id: id, source: { kind: "import", tool: "test", path: "x" } });

describe("writeImports: all or nothing", () => {
  it("writes every run complete, leaving nothing but run folders", () => {
    const ws = tempWorkspace();
    const { created } = writeImports(ws, [{ run: importRun("a"), records: [record(1), record(2)] }, { run: importRun("b"), records: [record(1)] }]);
    expect(created.map((m) => [m.run_id, m.status, m.counts.done])).toEqual([["a", "complete", 2], ["b", "complete", 1]]);
    expect(fs.readdirSync(ws)).toEqual(["runs"]);
    expect(listRuns(ws).every((e) => e.ok)).toBe(true);
  });

  it("leaves no run folder and no staging folder behind when a later run fails", () => {
    const ws = tempWorkspace();
    const broken = { ...record(2), instance_hash: "" };
    expect(() => writeImports(ws, [{ run: importRun("good"), records: [record(1)] }, { run: importRun("bad"), records: [record(1), broken] }])).toThrow(/instance_hash/);
    expect(fs.readdirSync(ws).filter((f) => f !== "runs")).toEqual([]);
    expect(fs.readdirSync(path.join(ws, "runs"))).toEqual([]);
  });

  it("refuses two runs with one id in the same import", () => {
    expect(() => writeImports(tempWorkspace(), [{ run: importRun("same"), records: [record(1)] }, { run: importRun("same"), records: [record(1)] }])).toThrow(/two runs of this import have the id same/);
  });

  it("writes nothing when one source of the import is bad", async () => {
    const ws = tempWorkspace();
    await expect(importPaths(ws, [path.join(FIXTURES, "olmo-eval"), path.join(FIXTURES, "inspect", "unknown-score.eval")])).rejects.toThrow(/score value "maybe"/);
    expect(fs.existsSync(path.join(ws, "runs")) ? fs.readdirSync(path.join(ws, "runs")) : []).toEqual([]);
  });
});
