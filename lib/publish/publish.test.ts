import fs from "node:fs";
import path from "node:path";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { describe, expect, it } from "vitest";
import { matrixReportOnDisk, seriesPartOnDisk, seriesReportOnDisk, suiteReportOnDisk, trajectoriesOnDisk } from "@/lib/series/on-disk";
import { writeFixtureRuns } from "@/lib/series/testing/workspace";
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
    const { link } = await publish({ workspace: ws, compare: { a: "cand", b: "base" }, runs: [], series: null, to: out, text: true, baseUrl: "https://example.org/r/1" });
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
    const { link } = await publish({ workspace: ws, compare: null, runs: ["cand", "base"], series: null, to: path.join(ws, "site"), text: true, baseUrl: null });
    expect(link).toBe(`${path.join(ws, "site")}/index.html`);
  }, 120_000);

  it("--no-text publishes the same rows and scores with every text column empty", async () => {
    const ws = await workspaceWithTwoRuns();
    const out = path.join(ws, "site");
    await publish({ workspace: ws, compare: { a: "cand", b: "base" }, runs: [], series: null, to: out, text: false, baseUrl: null });
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
    await expect(publish({ workspace: ws, compare: { a: "cand", b: "base" }, runs: [], series: null, to: out, text: true, baseUrl: null })).rejects.toThrow(/ENOENT/);
    expect(fs.readdirSync(ws).sort()).toEqual(["index", "runs"]);

    fs.mkdirSync(out);
    await expect(publish({ workspace: ws, compare: null, runs: ["cand"], series: null, to: out, text: true, baseUrl: null })).rejects.toThrow(`${out} already holds a published viewer, which never changes: publish to a new folder or prefix`);
    expect(fs.readdirSync(out)).toEqual([]);
  }, 120_000);

  it("refuses the same run twice and unknown runs before copying anything", async () => {
    const ws = await workspaceWithTwoRuns();
    const to = path.join(ws, "site");
    await expect(publish({ workspace: ws, compare: { a: "cand", b: "cand" }, runs: [], series: null, to, text: true, baseUrl: null })).rejects.toThrow("--compare needs two different runs, not cand twice");
    await expect(publish({ workspace: ws, compare: null, runs: ["nope"], series: null, to, text: true, baseUrl: null })).rejects.toThrow(`no run nope in ${ws}`);
    expect(fs.readdirSync(ws).sort()).toEqual(["index", "runs"]);
  });
});

describe("publish --series", () => {
  // two lines on gsm8k; int's step 200 failed and base-final has no step: neither is a point
  const seriesWorkspace = () => {
    const ws = tempWorkspace();
    writeFixtureRuns(ws, [
      { runId: "base-100", model: "base", step: 100, scores: [0, 0, 0, 0, 1, 1] },
      { runId: "base-200", model: "base", step: 200, scores: [1, 1, 0, 0, 1, 1] },
      { runId: "base-300", model: "base", step: 300, scores: [1, 1, 1, 0, 1, 0] },
      { runId: "base-final", model: "base", step: null, checkpoint: "final", scores: [1, 1, 1, 1, 1, 1] },
      { runId: "int-100", model: "int", step: 100, scores: [1, 0, 0, 0, 1, 1] },
      { runId: "int-200", model: "int", step: 200, scores: [1], failed: "endpoint went away" },
      { runId: "int-300", model: "int", step: 300, scores: [1, 1, 1, 1, 1, 0] },
    ]);
    return ws;
  };
  const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

  it("publishes every checkpoint's run and, at each address the series page asks, what the app answers there", async () => {
    const ws = seriesWorkspace();
    const out = path.join(ws, "site");
    // the app's address, pasted: its trajectory view (filter) stays in the link
    const { link } = await publish({ workspace: ws, compare: null, runs: [], series: "http://127.0.0.1:3000/series?line=base&line=int&task=gsm8k&k=3&filter=forgotten", to: out, text: true, baseUrl: "https://example.org/s/" });
    expect(link).toBe("https://example.org/s/series.html?line=base&line=int&task=gsm8k&k=3&filter=forgotten");
    const index = readIndex(out);
    expect(index.runs.map((r) => r.manifest.run_id)).toEqual(["base-100", "base-200", "base-300", "int-100", "int-300"]);
    expect(fs.existsSync(path.join(out, "series.html"))).toBe(true);
    const [series] = index.series;
    const query = "line=base&line=int&task=gsm8k&k=3";
    expect([series.task, series.lines, series.query]).toEqual(["gsm8k", ["base", "int"], query]);
    const options = { lines: ["base", "int"], task: "gsm8k", metric: null, k: 3, tieMargin: 0 };
    const read = (url: string) => JSON.parse(fs.readFileSync(path.join(out, series.answers[url]), "utf8")) as unknown;
    const expected: [string, unknown][] = [
      [`/api/series?${query}`, await seriesReportOnDisk(ws, options)],
      [`/api/series?${query}&part=changes`, await seriesPartOnDisk(ws, options, { part: "changes" })],
      [`/api/series?${query}&part=flips&of=0`, await seriesPartOnDisk(ws, options, { part: "flips", line: 0 })],
      [`/api/series?${query}&part=flips&of=1`, await seriesPartOnDisk(ws, options, { part: "flips", line: 1 })],
      [`/api/series?${query}&part=differences&of=0`, []],
      [`/api/series?${query}&part=differences&of=1`, await seriesPartOnDisk(ws, options, { part: "differences", line: 1 })],
      [`/api/series/trajectories?${query}&traj=0`, await trajectoriesOnDisk(ws, options, 0)],
      [`/api/series/trajectories?${query}&traj=1`, await trajectoriesOnDisk(ws, options, 1)],
    ];
    expect(Object.keys(series.answers).sort()).toEqual(expected.map(([url]) => url).sort());
    for (const [url, answer] of expected) expect(read(url), url).toEqual(json(answer));
    // the failed checkpoint is a gap with its reason, as in the app
    expect((read(`/api/series?${query}`) as { lines: { gaps: { reason: string }[] }[] }).lines[1].gaps[0].reason).toBe("failed: endpoint went away");
    // the series page links its first line's matrix: published beside the task's
    expect(index.matrices.map((m) => m.query)).toEqual(["run=base-100&run=base-200&run=base-300&run=int-100&run=int-300", "run=base-100&run=base-200&run=base-300", "run=int-100&run=int-300"]);
  }, 120_000);

  it("a suite: its report as `series --suite --json` computes it, and each member task's series, which its page links", async () => {
    const ws = seriesWorkspace();
    writeFixtureRuns(ws, [
      { runId: "base-mmlu-100", model: "base", step: 100, task: "mmlu", scores: [1, 0, 1, 0] },
      { runId: "base-mmlu-300", model: "base", step: 300, task: "mmlu", scores: [1, 1, 1, 0] },
    ]);
    const out = path.join(ws, "site");
    const { link } = await publish({ workspace: ws, compare: null, runs: [], series: "line=base&suite=core&k=2", to: out, text: true, baseUrl: null });
    expect(link).toBe(`${out}/series.html?line=base&suite=core&k=2`);
    const index = readIndex(out);
    expect(index.series.map((s) => [s.suite, s.task, s.query])).toEqual([
      ["core", null, "line=base&suite=core&k=2"],
      [null, "gsm8k", "line=base&task=gsm8k&k=2"],
      [null, "mmlu", "line=base&task=mmlu&k=2"],
    ]);
    const suite = JSON.parse(fs.readFileSync(path.join(out, index.series[0].answers["/api/series?line=base&suite=core&k=2"]), "utf8")) as unknown;
    expect(suite).toEqual(json(await suiteReportOnDisk(ws, { lines: ["base"], suite: "core", k: 2, tieMargin: 0 })));
    expect(index.runs.map((r) => r.manifest.run_id)).toEqual(["base-100", "base-200", "base-300", "base-mmlu-100", "base-mmlu-300"]);
  }, 120_000);

  it("refuses a series it cannot publish, saying what to give, before writing anything", async () => {
    const ws = seriesWorkspace();
    const to = path.join(ws, "site");
    const request = { workspace: ws, compare: null, runs: [], to, text: true, baseUrl: null };
    await expect(publish({ ...request, series: "task=gsm8k" })).rejects.toThrow("--series task=gsm8k names no model line: give the app's series parameters, e.g. 'line=MODEL&line=OTHER&task=gsm8k' (or suite=NAME)");
    await expect(publish({ ...request, series: "line=base" })).rejects.toThrow("--series line=base names no task");
    await expect(publish({ ...request, series: "line=base&task=gsm8k&suite=core" })).rejects.toThrow("--series line=base&task=gsm8k&suite=core names a task and a suite: name one of them");
    await expect(publish({ ...request, series: "line=base&suite=nope" })).rejects.toThrow(/^unknown suite nope; suites: /);
    await expect(publish({ ...request, series: "line=nobody&task=gsm8k" })).rejects.toThrow("no run of nobody on task gsm8k; model lines with runs: base, int");
    await expect(publish({ ...request, series: "line=base&task=gsm8k&k=1" })).rejects.toThrow("k=1 in the link is not a whole number of at least 2");
    expect(fs.readdirSync(ws).sort()).toEqual(["index", "runs"]);
  }, 120_000);
});
