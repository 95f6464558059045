import { describe, expect, it } from "vitest";
import { compareReport } from "@/lib/compare/report";
import { alignedRows } from "@/lib/compare/columns";
import { alignColumns } from "@/lib/compare/align";
import { listRuns } from "@/lib/catalog/list";
import { forgetCompareFile, tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { questionAcrossRunsOnDisk, seriesPartOnDisk, seriesReportOnDisk, trajectoriesOnDisk } from "./on-disk";
import { reportPart, type SeriesPart } from "./report";
import { readRunColumns } from "@/lib/compare/load-node";
import { writeFixtureRuns } from "./testing/workspace";

// Ten questions q0..q9 per run; the figures below are worked out by hand from these scores.
const ws = tempWorkspace();
writeFixtureRuns(ws, [
  { runId: "base-100", model: "base", step: 100, scores: [0, 0, 0, 0, 0, 1, 1, 1, 1, 1] }, // mean 0.5
  { runId: "base-200", model: "base", step: 200, scores: [1, 1, 1, 0, 0, 1, 1, 1, 1, 0] }, // mean 0.7
  { runId: "base-300", model: "base", step: 300, scores: [1, 1, 1, 1, 0, 1, 1, 1, 1, 1] }, // mean 0.9
  { runId: "base-final", model: "base", step: null, checkpoint: "final", scores: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1] },
  { runId: "int-100", model: "int", step: 100, scores: [1, 0, 0, 0, 0, 1, 1, 1, 1, 1] }, // mean 0.6
  { runId: "int-200", model: "int", step: 200, scores: [1, 1], failed: "endpoint went away" },
  { runId: "int-300", model: "int", step: 300, scores: [1, 1, 1, 1, 1, 1, 1, 1, 1, 0], taskHash: "task-hash-2" }, // mean 0.9
]);
const report = await seriesReportOnDisk(ws, { lines: ["base", "int"], task: "gsm8k" });
const [base, int] = report.lines;

describe("series: points from manifests", () => {
  it("orders each line by step, with the run SE and its 95% CI", () => {
    expect(report.metric).toBe("exact_match");
    expect(base.points.map((p) => [p.run_id, p.mean])).toEqual([["base-100", 0.5], ["base-200", 0.7], ["base-300", 0.9]]);
    // s^2 = 10 * 0.25 / 9, SE = sqrt(s^2 / 10) = 0.16667
    expect(base.points[0].se).toBeCloseTo(Math.sqrt(0.25 / 9), 15);
    expect(base.points[0].ci![0]).toBeCloseTo(0.5 - 1.959963984540054 * Math.sqrt(0.25 / 9), 15);
  });
  it("says what it left out and why: a run without a step, a failed checkpoint, a changed task", () => {
    expect(base.notes.join()).toMatch(/left out, no training step recorded: base-final/);
    expect(int.gaps).toEqual([{ run_id: "int-200", step: 200, checkpoint: "step200", reason: "failed: endpoint went away" }]);
    expect(int.points.map((p) => p.task_changed)).toEqual([false, true]);
  });
  it("noise: population SD of the last k means over their mean; steps within it are marked", () => {
    // base: 0.5, 0.7, 0.9 -> SD sqrt(0.08/3) = 0.163299, relative 0.233285
    expect(base.noise.sd).toBeCloseTo(Math.sqrt(0.08 / 3), 15);
    expect(report.per_task[0].noise).toBeCloseTo(Math.sqrt(0.08 / 3) / 0.7, 15);
    expect(base.steps.map((s) => s.within_noise)).toEqual([false, false]); // changes of 0.2 > 0.163
    // int: 0.6, 0.9 -> SD 0.15, relative 0.2
    expect(report.per_task[1].noise).toBeCloseTo(0.2, 15);
  });
  it("Kendall's tau of score against step, signal and SNR at the latest common step", () => {
    expect(report.per_task[0].kendall_tau).toEqual({ tau: 1, p: expect.closeTo(1 / 3, 15) });
    expect(report.signal_step).toBe(300);
    expect(report.per_task[0].signal).toBe(0); // both lines at 0.9
    expect(report.per_task[0].snr).toBe(0);
  });
});

describe("series: paired figures from the questions", () => {
  it("flips between consecutive checkpoints with McNemar's exact p", () => {
    const flips = report.flips.filter((f) => f.model === "base").map((f) => [f.from_run_id, f.to_run_id, f.learned, f.forgotten, f.p]);
    // 100 -> 200: learned q0 q1 q2, forgot q9: b = 3, c = 1, p = 2 (1 + 4) / 16 = 0.625
    // 200 -> 300: learned q3 q9: b = 2, c = 0, p = 2 / 4 = 0.5
    expect(flips).toEqual([["base-100", "base-200", 3, 1, 0.625], ["base-200", "base-300", 2, 0, 0.5]]);
    expect(report.flips.filter((f) => f.model === "int").map((f) => [f.from_run_id, f.to_run_id])).toEqual([["int-100", "int-300"]]);
  });
  it("the change over the last k checkpoints, paired: 100 -> 300 on base", () => {
    // d = 1 on q0..q3, 0 elsewhere: delta 0.4, s_d^2 = (4 * 0.36 + 6 * 0.16) / 9, SE = sqrt(s_d^2 / 10)
    const change = report.per_task[0].change_last_k!;
    const se = Math.sqrt((4 * 0.36 + 6 * 0.16) / 9 / 10);
    expect(change.from_run_id).toBe("base-100");
    expect(change.delta).toBeCloseTo(0.4, 15);
    expect(change.se).toBeCloseTo(se, 15);
    expect(change.ci![1]).toBeCloseTo(0.4 + 1.959963984540054 * se, 15);
    expect(change.p).toBeCloseTo(2 / 16, 15);
  });
  it("differences of each line against the baseline at the steps both have, equal to compare's", async () => {
    expect(report.differences.map((d) => [d.step, d.a_run_id, d.b_run_id, d.n_shared])).toEqual([[100, "int-100", "base-100", 10], [300, "int-300", "base-300", 10]]);
    // at 100, d = 1 on q0 only: delta 0.1, s_d^2 = 0.9 / 9 = 0.1, SE = 0.1
    expect(report.differences[0].delta).toBeCloseTo(0.1, 15);
    expect(report.differences[0].se).toBeCloseTo(0.1, 15);
    const entries = await listRuns(ws);
    const manifest = (id: string) => entries.find((e) => e.run_id === id)!.manifest!;
    const columns = (id: string) => readRunColumns(ws, manifest(id), "exact_match");
    const compare = compareReport(alignedRows(alignColumns(await columns("int-300"), await columns("base-300"))));
    expect(report.differences[1].delta).toBe(compare.delta);
    expect(report.differences[1].ci).toEqual(compare.ci_analytic);
    expect(report.differences[1].p).toBe(compare.p_value!.value);
  });
});

describe("series: the report's parts", () => {
  it("each part cut from the whole report equals that part computed alone, as the page asks for it", async () => {
    const parts: SeriesPart[] = [{ part: "flips", line: 0 }, { part: "flips", line: 1 }, { part: "differences", line: 0 }, { part: "differences", line: 1 }, { part: "changes" }];
    for (const part of parts) expect(reportPart(report, part), JSON.stringify(part)).toEqual(await seriesPartOnDisk(ws, { lines: ["base", "int"], task: "gsm8k" }, part));
    expect(reportPart(report, { part: "flips", line: 1 }).map((f) => f.model)).toEqual(["int"]);
    expect(() => reportPart(report, { part: "flips", line: 2 })).toThrow("there is no line 3: the series has 2");
  });
});

describe("series: bad input", () => {
  it("names an unknown line or task and what there is", async () => {
    await expect(seriesReportOnDisk(ws, { lines: ["nobody"], task: "gsm8k" })).rejects.toThrow(/no run of nobody on task gsm8k; model lines with runs: base, int/);
    await expect(seriesReportOnDisk(ws, { lines: ["base"], task: "mmlu" })).rejects.toThrow(/no run of task mmlu in the workspace; it has gsm8k/);
  });
  it("a line with one checkpoint has no noise figure and says why", async () => {
    const one = tempWorkspace();
    writeFixtureRuns(one, [{ runId: "solo", model: "solo", step: 1, scores: [0, 1, 1] }]);
    const r = await seriesReportOnDisk(one, { lines: ["solo"], task: "gsm8k" });
    expect(r.lines[0].noise).toMatchObject({ sd: null, relative: null, reason: "one checkpoint: noise needs at least two" });
    expect(r.per_task[0].change_last_k).toBeNull();
  });
});

describe("series: question trajectories", () => {
  it("each question's scores along the line, its flips and its kind", async () => {
    const t = await trajectoriesOnDisk(ws, { lines: ["base", "int"], task: "gsm8k" }, 0);
    expect(t.runs.map((r) => r.run_id)).toEqual(["base-100", "base-200", "base-300"]);
    expect(t.questions.slice(0, 3)).toEqual(["gsm8k/q00000", "gsm8k/q00001", "gsm8k/q00002"]);
    const cells = Buffer.from(t.cells, "base64");
    const row = (q: number) => [...cells.subarray(3 * q, 3 * q + 3)];
    expect(row(0)).toEqual([0, 100, 100]); // q0: learned at 200, kept
    expect(row(9)).toEqual([100, 0, 100]); // q9: right, wrong, right
    expect([t.kind[0], t.kind[4], t.kind[5], t.kind[9]]).toEqual(["learned_kept", "never_learned", "always_right", "unsettled"]);
    expect(t.flips[9]).toBe(2);
    expect(t.binary).toBe(true);
  });
  it("a question forgotten at the last checkpoint, an unscored cell, and a changed question", async () => {
    const w = tempWorkspace();
    writeFixtureRuns(w, [
      { runId: "a1", model: "m", step: 1, scores: [1, 0, 1] },
      { runId: "a2", model: "m", step: 2, scores: [0, null, 1] },
    ]);
    const t = await trajectoriesOnDisk(w, { lines: ["m"], task: "gsm8k" }, 0);
    expect([...Buffer.from(t.cells, "base64")]).toEqual([100, 0, 0, 255, 100, 100]);
    expect(t.kind).toEqual(["forgotten", "never_learned", "always_right"]);
  });
});

describe("series: one question across checkpoints", () => {
  it("its prompt, response and score at each checkpoint, found through compare.parquet or the records, and nothing where a run lacks it", async () => {
    const w = tempWorkspace();
    writeFixtureRuns(w, [
      { runId: "m1", model: "m", step: 1, scores: [1, 0, 1] },
      { runId: "m2", model: "m", step: 2, scores: [0, 1] },
    ]);
    forgetCompareFile(w, "m2");
    const entries = await listRuns(w);
    const manifests = ["m1", "m2"].map((id) => entries.find((e) => e.run_id === id)!.manifest!);
    const at = await questionAcrossRunsOnDisk(w, manifests, "gsm8k/q00001");
    expect(at.map((c) => [c.run_id, c.step, c.samples.map((s) => [s.prompt, s.response, s.score])])).toEqual([
      ["m1", 1, [["Question 1?", "The answer is 1.", 0]]],
      ["m2", 2, [["Question 1?", "The answer is 1.", 1]]],
    ]);
    expect((await questionAcrossRunsOnDisk(w, manifests, "gsm8k/q00002")).map((c) => c.samples.length)).toEqual([1, 0]);
  });
});
