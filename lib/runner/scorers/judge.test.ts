import path from "node:path";
import { describe, expect, it } from "vitest";
import type { TranscriptEntry } from "@/lib/schema/transcript";
import { startSim } from "@/lib/sim/server";
import { prepare, RunConfig } from "../launch";
import { readRunRecords } from "../run-records";
import { FIXTURES, runAgainstSim } from "../testing/sim-run";
import { parseVerdict } from "./judge";

const squad = path.join(FIXTURES, "squad");

describe("LLM-as-judge scorer", () => {
  it("reads a verdict in JSON, fenced or with text around it; anything else is no verdict", () => {
    expect(parseVerdict('Sure.\n```json\n{"verdict": "correct", "score": 1, "rationale": "same"}\n```')).toEqual({ verdict: "correct", score: 1, rationale: "same" });
    expect(parseVerdict('{"verdict": "maybe", "score": 1, "rationale": ""}')).toBeNull();
    expect(parseVerdict("correct")).toBeNull();
  });

  it("the harness names the judge; the task's rubric is asked; verdicts and rationales are stored on the question", async () => {
    const judge = await startSim({ checkpoints: [{ name: "grader-model", accuracy: 1 }] });
    const aux = `harness.auxiliary={"grader":{"endpoint":"${judge.url}","model":"grader-model"}}`;
    const { outcomes, sim, config } = await runAgainstSim({ tasks: ["squad:judge"], data: { "*": squad }, overrides: [aux, "harness.judge=grader"] }, { checkpoints: [{ name: "sim-model", accuracy: 0.5 }] });
    await Promise.all([sim.close(), judge.close()]);
    const { manifest, runId } = outcomes[0];
    expect(manifest.primary_metric).toBe("judge");
    expect(manifest.counts.errored).toBe(0);
    const records = readRunRecords(config.workspace, runId);
    for (const record of records) {
      const verdict = (record.transcript as TranscriptEntry[]).find((e) => e.kind === "judge");
      expect(verdict).toMatchObject({ kind: "judge", judge: "grader", model: "grader-model", rationale: expect.any(String) });
      expect(record.scores.judge).toBe(record.scores.f1 === 1 ? 1 : verdict?.score);
    }
  });

  it("a task scored by a judge under a harness without one is refused before any request", async () => {
    await expect(prepare(RunConfig.parse({ tasks: ["squad:judge"], data: { "*": squad }, workspace: "/tmp/unused", model: { endpoint: "http://127.0.0.1:1/v1" } }))).rejects.toThrow(/scored by a judge model; name one in the harness/);
  });
});
