import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { RunWriter } from "@/lib/workspace/run-writer";
import { newRun, tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { saveJob, reportFromJob, listJobs } from "./jobs";
import { WorkspaceProgress } from "./progress";
import type { JobState } from "./slurm";
import { workspaceLive } from "./view";

/** A run the catalog indexed as running (or ended as failed), whose run.json then says how far it got. */
function run(ws: string, id: string, status: "running" | "failed", planned: number, lines: number) {
  const dir = path.join(ws, "runs", id);
  if (!fs.existsSync(dir)) {
    const writer = RunWriter.create(ws, newRun({ run_id: id, task: { name: "mmlu", variant: "rc", hash: "h" }, counts: { planned } }));
    if (status !== "running") writer.end(status);
  }
  fs.writeFileSync(path.join(dir, "run.json"), JSON.stringify({ status, counts: { planned, errored: 1 }, task: { name: "mmlu", variant: "rc" } }));
  fs.appendFileSync(path.join(dir, "records.ndjson"), "{}\n".repeat(lines));
}

describe("progress read from the workspace", () => {
  it("counts each running run's journal lines against its planned count, reading only what was appended since", async () => {
    const ws = tempWorkspace();
    run(ws, "a", "running", 10, 3);
    run(ws, "b", "failed", 5, 5);
    const progress = new WorkspaceProgress(ws);
    expect(await progress.running(1000)).toEqual([{ runId: "a", spec: "mmlu:rc", status: "running", done: 3, planned: 10, errored: 1, rate: null, eta: null }]);
    run(ws, "a", "running", 10, 4);
    const [later] = await progress.running(3000);
    expect(later).toMatchObject({ done: 7, rate: 2, eta: 1.5 });
  });

  it("shows a run whose Slurm job ended without ending it (killed) as interrupted, and a job Slurm forgot as unknown", async () => {
    const ws = tempWorkspace();
    run(ws, "killed", "running", 10, 4);
    for (const id of ["7_0", "7_1"]) saveJob(ws, { id, executor: "slurm", submitted_at: "2026-12-03T12:00:00.000Z", tasks: ["gsm8k"], model: "olmo", checkpoint: "step1", step: 1, partition: null, log: `cluster/logs/${id}.log` });
    reportFromJob(ws, "7_0", { run: "killed" });
    const states = async () => new Map<string, JobState>([["7_0", { state: "failed", slurm: "FAILED", reason: "JobLaunchFailure" }]]);
    const live = await workspaceLive(listJobs(ws), await new WorkspaceProgress(ws).running(), states);
    expect(live.runs).toEqual([expect.objectContaining({ runId: "killed", status: "interrupted", done: 4 })]);
    expect(live.cluster.map((j) => [j.id, j.state, j.reason])).toEqual([
      ["7_0", "failed", "JobLaunchFailure"],
      ["7_1", "unknown", "Slurm no longer lists this job (it ended a while ago)"],
    ]);
    const unreachable = await workspaceLive(listJobs(ws), [], () => Promise.reject(new Error("scontrol is not on PATH")));
    expect(unreachable.cluster[0]).toMatchObject({ state: "unknown", reason: "scontrol is not on PATH" });
  });
});
