import fs from "node:fs";
import path from "node:path";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { describe, expect, it } from "vitest";
import { matrixReportOnDisk } from "@/lib/series/on-disk";
import { RunWriter } from "@/lib/workspace/run-writer";
import { COMPARE_FILE, runDir } from "@/lib/workspace/paths";
import { fileSha256 } from "@/lib/workspace/sha256";
import { newRun, record, tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { OMITTED_TEXT } from "./no-text";
import { publish } from "./publish";
import type { PublishedIndex } from "./published-index";

async function workspaceWithTwoRuns(): Promise<string> {
  const ws = tempWorkspace();
  for (const [runId, shift] of [["cand", 0], ["base", 1]] as const) {
    const writer = RunWriter.create(ws, newRun({ run_id: runId }));
    for (let i = 0; i < 30; i++) writer.append(record(i, { score: (i + shift) % 2, scores: { exact_match: (i + shift) % 2 } }));
    await writer.finalize();
  }
  return ws;
}

const readIndex = (out: string) => JSON.parse(fs.readFileSync(path.join(out, "index.json"), "utf8")) as PublishedIndex;

describe("publish to a folder", () => {
  it("writes the viewer, copies of the runs pinned by sha256, and returns the share link", async () => {
    const ws = await workspaceWithTwoRuns();
    const out = path.join(ws, "site");
    const { link } = await publish({ workspace: ws, compare: { a: "cand", b: "base" }, runs: [], to: out, text: true, baseUrl: "https://example.org/r/1" });
    const index = readIndex(out);
    const pin = (id: string) => index.runs.find((r) => r.manifest.run_id === id)!.pin;
    expect(link).toBe(`https://example.org/r/1/compare.html?v=2&candidate=cand&baseline=base&candidate_pin=${pin("cand")}&baseline_pin=${pin("base")}`);
    expect(index.compare).toEqual({ a: "cand", b: "base" });
    for (const run of index.runs) {
      // nothing about the author's machine
      expect([run.manifest.writer, run.manifest.source.path]).toEqual([null, null]);
      expect(run.records.sha256).toBe(run.manifest.records!.sha256);
      expect(run.pin).toBe(run.manifest.records!.sha256.slice(0, 12));
      expect(fileSha256(path.join(out, run.records.path))).toBe(run.records.sha256);
      expect(fileSha256(path.join(out, run.compare!.path))).toBe(run.compare!.sha256);
    }
    for (const file of ["index.html", "compare.html", "viewer/main.js", "viewer/main.css", "viewer/compare.worker.js", "viewer/row-text.worker.js"]) expect(fs.existsSync(path.join(out, file)), file).toBe(true);
    expect(fs.readdirSync(path.join(out, "duckdb"))).toHaveLength(1);
    // both runs are of one task: their matrix is published, as /api/matrix would answer it
    expect(index.matrices).toEqual([{ task: "gsm8k", query: "run=cand&run=base", path: "matrix/0.json" }]);
    expect(JSON.parse(fs.readFileSync(path.join(out, "matrix/0.json"), "utf8"))).toEqual(JSON.parse(JSON.stringify(await matrixReportOnDisk(ws, ["cand", "base"]))));
    // nothing staged is left beside it
    expect(fs.readdirSync(ws).sort()).toEqual(["index", "runs", "site"]);
  }, 120_000);

  it("without a base URL the link is relative to the folder, and lists the runs when nothing is compared", async () => {
    const ws = await workspaceWithTwoRuns();
    const { link } = await publish({ workspace: ws, compare: null, runs: ["cand", "base"], to: path.join(ws, "site"), text: true, baseUrl: null });
    expect(link).toBe(`${path.join(ws, "site")}/index.html`);
  }, 120_000);

  it("--no-text publishes the same rows and scores with every text column empty", async () => {
    const ws = await workspaceWithTwoRuns();
    const out = path.join(ws, "site");
    await publish({ workspace: ws, compare: { a: "cand", b: "base" }, runs: [], to: out, text: false, baseUrl: null });
    const index = readIndex(out);
    expect(index.text).toBe(false);
    const run = index.runs[0];
    expect(fileSha256(path.join(out, run.records.path))).toBe(run.records.sha256);
    const read = async (file: string) => parquetReadObjects({ file: await asyncBufferFromFile(file) });
    const original = await read(path.join(runDir(ws, "cand"), "records.parquet"));
    const published = await read(path.join(out, run.records.path));
    expect(published).toHaveLength(original.length);
    for (const [i, row] of published.entries()) {
      for (const column of OMITTED_TEXT) expect(row[column]).toBeNull();
      expect([row.instance_id, row.score, row.scores]).toEqual([original[i].instance_id, original[i].score, original[i].scores]);
    }
  }, 120_000);

  it("leaves nothing when it fails part way, and never writes into an existing folder", async () => {
    const ws = await workspaceWithTwoRuns();
    const out = path.join(ws, "site");
    // the baseline's compare.parquet is gone: the run is copied only part way
    fs.rmSync(path.join(runDir(ws, "base"), COMPARE_FILE));
    await expect(publish({ workspace: ws, compare: { a: "cand", b: "base" }, runs: [], to: out, text: true, baseUrl: null })).rejects.toThrow(/ENOENT/);
    expect(fs.readdirSync(ws).sort()).toEqual(["index", "runs"]);

    fs.mkdirSync(out);
    await expect(publish({ workspace: ws, compare: null, runs: ["cand"], to: out, text: true, baseUrl: null })).rejects.toThrow(`${out} already holds a published viewer, which never changes: publish to a new folder or prefix`);
    expect(fs.readdirSync(out)).toEqual([]);
  }, 120_000);

  it("refuses the same run twice and unknown runs before copying anything", async () => {
    const ws = await workspaceWithTwoRuns();
    const to = path.join(ws, "site");
    await expect(publish({ workspace: ws, compare: { a: "cand", b: "cand" }, runs: [], to, text: true, baseUrl: null })).rejects.toThrow("--compare needs two different runs, not cand twice");
    await expect(publish({ workspace: ws, compare: null, runs: ["nope"], to, text: true, baseUrl: null })).rejects.toThrow(`no run nope in ${ws}`);
    expect(fs.readdirSync(ws).sort()).toEqual(["index", "runs"]);
  });
});
