import { describe, expect, it } from "vitest";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { suiteReportOnDisk } from "./on-disk";
import { writeFixtureRuns } from "./testing/workspace";

const Z975 = 1.959963984540054;

describe("suite series", () => {
  it("core (mean): the aggregate is the mean of the member tasks, SE sqrt(sum se^2) / T; missing members are named", async () => {
    const ws = tempWorkspace();
    writeFixtureRuns(ws, [
      { runId: "g-100", model: "base", step: 100, scores: [0, 0, 0, 0, 0, 1, 1, 1, 1, 1] }, // 0.5, SE sqrt(0.25 / 9)
      { runId: "m-100", model: "base", step: 100, task: "mmlu", scores: [1, 1, 1, 1, 1, 1, 0, 0, 0, 0] }, // 0.6, SE sqrt(0.24 / 9)
      { runId: "g-200", model: "base", step: 200, scores: [1, 0, 0, 0, 0, 1, 1, 1, 1, 1] },
      { runId: "m-200", model: "base", step: 200, task: "mmlu", scores: [1, 1, 1, 1, 1, 1, 1, 0, 0, 0] },
      { runId: "g-300", model: "base", step: 300, scores: [1, 1, 0, 0, 0, 1, 1, 1, 1, 1] }, // no mmlu at 300
    ]);
    const report = await suiteReportOnDisk(ws, { lines: ["base"], suite: "core" });
    expect(report.tasks).toEqual(["gsm8k", "mmlu"]);
    expect(report.missing).toEqual(["arc_challenge", "hellaswag"]);
    const [first, second] = report.lines[0].points;
    expect(report.lines[0].points).toHaveLength(2);
    expect(report.lines[0].notes.join()).toMatch(/leaves out steps not every member task has: 300/);
    expect(first.mean).toBeCloseTo(0.55, 15);
    expect(first.se).toBeCloseTo(Math.sqrt(0.25 / 9 + 0.24 / 9) / 2, 15); // 0.116667
    expect(first.ci![0]).toBeCloseTo(0.55 - Z975 * (0.7 / 3 / 2), 14);
    expect(second.mean).toBeCloseTo((0.6 + 0.7) / 2, 15);
    const aggregate = report.per_task.find((r) => r.task === "suite core")!;
    // change 100 -> 200 (the aggregate's steps): gsm8k +0.1 (SE 0.1), mmlu +0.1 (SE 0.1): mean 0.1, SE sqrt(0.02) / 2
    expect(aggregate.change_last_k!.delta).toBeCloseTo(0.1, 15);
    expect(aggregate.change_last_k!.se).toBeCloseTo(Math.sqrt(0.02) / 2, 15);
    expect(report.per_task.map((r) => r.task)).toEqual(["gsm8k", "mmlu", "suite core"]);
  });

  it("reasoning (mean_of_means): a task's subtasks are averaged first", async () => {
    const ws = tempWorkspace();
    const subtasks = ["a", "a", "a", "a", "a", "b", "b", "b", "b", "b"];
    writeFixtureRuns(ws, [
      // subtask a: 0.2 (SE sqrt(0.2 / 5) = 0.2), b: 0.8 (SE 0.2): mean of means 0.5, SE sqrt(0.04 + 0.04) / 2
      { runId: "g-100", model: "base", step: 100, subtasks, scores: [0, 1, 0, 0, 0, 1, 1, 1, 1, 0] },
      { runId: "g-200", model: "base", step: 200, subtasks, scores: [1, 1, 0, 0, 0, 1, 1, 1, 1, 0] },
    ]);
    const report = await suiteReportOnDisk(ws, { lines: ["base"], suite: "reasoning" });
    expect(report.missing).toEqual(["bbh"]);
    expect(report.lines[0].points[0].mean).toBeCloseTo(0.5, 15);
    expect(report.lines[0].points[0].se).toBeCloseTo(Math.sqrt(0.08) / 2, 15);
    expect(report.per_task.at(-1)!.change_last_k).toBeNull(); // mean_of_means: not derived from the tasks' changes
  });

  it("names an unknown suite and one whose members have no runs", async () => {
    const ws = tempWorkspace();
    writeFixtureRuns(ws, [{ runId: "x", model: "base", step: 1, task: "squad", scores: [1, 0] }]);
    await expect(suiteReportOnDisk(ws, { lines: ["base"], suite: "nope" })).rejects.toThrow(/unknown suite nope; suites: core/);
    await expect(suiteReportOnDisk(ws, { lines: ["base"], suite: "core" })).rejects.toThrow(/no member task of suite core \(gsm8k, mmlu, arc_challenge, hellaswag\) has runs of base/);
  });
});
