import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { mulberry32 } from "@/lib/stats/rng";
import { simQuestions } from "@/lib/sim/from-plan";
import { startSim } from "@/lib/sim/server";
import { readManifest } from "@/lib/workspace/manifest-file";
import { runDir, runsRoot } from "@/lib/workspace/paths";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { HARNESS_PRESETS } from "./harness";
import { planTask } from "./plan";
import { resolveTask } from "./registry";
import { readRunRecords } from "./run-records";
import { SHARED_DATA } from "./testing/sim-run";
import "./tasks";

const bin = path.resolve("bin", "evalbench.mjs");
const data = path.join(SHARED_DATA, "gsm8k");
// Enough questions that four interrupted sessions cannot finish the run between them.
const LIMIT = 1000;

/** Runs `evalbench run --resume` in a child; kills it with SIGKILL after `killAfterMs` of requests, or lets it finish. */
function runChild(ws: string, url: string, killAfterMs: number | null, onFirstRequest: Promise<void>): Promise<number | null> {
  const args = [bin, "run", "-t", "gsm8k", "-m", `openai:${url}`, "--data", data, "--limit", String(LIMIT), "--concurrency", "4", "--resume", "-o", "harness.cache=false", "-w", ws];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
  if (killAfterMs !== null) void onFirstRequest.then(() => setTimeout(() => child.kill("SIGKILL"), killAfterMs));
  return new Promise((resolve, reject) => {
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve(null);
      else if (code === 0) resolve(0);
      else reject(new Error(`evalbench run exited with ${code}: ${stderr}`));
    });
  });
}

describe("kill -9 at random moments, then --resume", () => {
  it("completes the run: every planned question once, nothing re-requested that was recorded", async () => {
    const ws = tempWorkspace();
    const plan = await planTask(resolveTask("gsm8k"), HARNESS_PRESETS.default, { data, cacheDir: path.join(ws, "cache"), limit: LIMIT });
    let phase = 0;
    let firstRequest: () => void = () => {};
    const requests: { phase: number; id: string }[] = [];
    const sim = await startSim({
      checkpoints: [{ name: "m", accuracy: 0.5 }],
      questions: simQuestions([plan]),
      latencyMs: 40,
      onRequest: ({ question }) => {
        if (question) requests.push({ phase, id: question.id.replace(/^gsm8k\//, "") });
        firstRequest();
      },
    });
    const recordedBefore: Set<string>[] = [];
    const runId = () => fs.readdirSync(runsRoot(ws))[0];
    const recorded = () => (fs.existsSync(runsRoot(ws)) ? new Set(readRunRecords(ws, runId()).map((r) => r.instance_id)) : new Set<string>());

    const rand = mulberry32(7);
    for (let kill = 0; kill < 4; kill++) {
      recordedBefore[phase] = recorded();
      const started = new Promise<void>((resolve) => (firstRequest = resolve));
      // The journal is flushed at least once a second: kill after one flush, at a random moment of the next.
      expect(await runChild(ws, sim.url, 1100 + Math.floor(rand() * 900), started)).toBeNull();
      phase += 1;
    }
    recordedBefore[phase] = recorded();
    expect(recordedBefore[phase].size).toBeGreaterThan(0);
    expect(recordedBefore[phase].size).toBeLessThan(LIMIT);
    expect(await runChild(ws, sim.url, null, Promise.resolve())).toBe(0);
    await sim.close();

    const records = readRunRecords(ws, runId());
    expect(records).toHaveLength(LIMIT);
    expect(new Set(records.map((r) => `${r.instance_id}/${r.sample}`)).size).toBe(LIMIT);
    expect(readManifest(runDir(ws, runId()))).toMatchObject({ status: "complete", counts: { planned: LIMIT, done: LIMIT } });
    // No process asked for a question that was already recorded when it started.
    for (const { phase: p, id } of requests) expect(recordedBefore[p].has(id), `question ${id} re-requested in phase ${p}`).toBe(false);
    // Five CLI processes, each compiling the CLI at start: seconds apiece on a loaded machine.
  }, 120_000);
});
