import { describe, expect, it } from "vitest";
import { listRuns } from "@/lib/catalog/list";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { defaultMatrixRuns } from "./matrix";
import { matrixReportOnDisk } from "./on-disk";
import { writeFixtureRuns } from "./testing/workspace";

const ws = tempWorkspace();
writeFixtureRuns(ws, [
  { runId: "base-100", model: "base", step: 100, scores: [0, 0, 0, 0, 0, 1, 1, 1, 1, 1] },
  { runId: "base-200", model: "base", step: 200, scores: [1, 1, 1, 0, 0, 1, 1, 1, 1, 0] },
  { runId: "base-300", model: "base", step: 300, scores: [1, 1, 1, 1, 0, 1, 1, 1, 1, 1] },
  { runId: "other-100", model: "other", step: 100, scores: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1] },
  { runId: "mmlu-100", model: "base", step: 100, scores: [1, 0], task: "mmlu" },
]);

describe("matrix", () => {
  it("every pair once: row minus column, McNemar's exact p, Holm over all pairs, MDE", async () => {
    const report = await matrixReportOnDisk(ws, ["base-100", "base-200", "base-300"]);
    expect(report.pairs.map((p) => [p.a, p.b, p.n_shared])).toEqual([["base-100", "base-200", 10], ["base-100", "base-300", 10], ["base-200", "base-300", 10]]);
    // 100 vs 200: b = 1 (q9), c = 3 (q0-q2): p = 2 (1 + 4) / 16; 100 vs 300: b = 0, c = 4: p = 2 / 16; 200 vs 300: b = 0, c = 2: p = 2 / 4
    expect(report.pairs.map((p) => p.delta)).toEqual([expect.closeTo(-0.2, 15), expect.closeTo(-0.4, 15), expect.closeTo(-0.2, 15)]);
    expect(report.pairs.map((p) => p.p)).toEqual([0.625, 0.125, 0.5]);
    // Holm: 0.125 * 3 = 0.375; 0.5 * 2 = 1; 0.625 * 1, kept monotone: 1
    expect(report.pairs.map((p) => p.p_holm)).toEqual([1, 0.375, 1]);
    // MDE = (z 0.975 + z 0.8) SE, SE of d (four -1, six 0) = sqrt((4 * 0.36 + 6 * 0.16) / 9 / 10)
    expect(report.pairs[1].mde).toBeCloseTo(2.8015852181129683 * Math.sqrt((4 * 0.36 + 6 * 0.16) / 9 / 10), 14);
  });
  it("refuses runs of different tasks, naming them", async () => {
    await expect(matrixReportOnDisk(ws, ["base-100", "mmlu-100"])).rejects.toThrow(/one task; these are of 2: gsm8k \(base-100\); mmlu \(mmlu-100\)/);
    await expect(matrixReportOnDisk(ws, ["base-100"])).rejects.toThrow(/at least two runs/);
  });
  it("defaults to every checkpoint of a line, or the latest checkpoint of each model", async () => {
    const manifests = (await listRuns(ws)).flatMap((e) => (e.ok ? [e.manifest] : []));
    expect(defaultMatrixRuns(manifests, "gsm8k", "base").map((m) => m.run_id)).toEqual(["base-100", "base-200", "base-300"]);
    expect(defaultMatrixRuns(manifests, "gsm8k", null).map((m) => m.run_id).sort()).toEqual(["base-300", "other-100"]);
  });
});
