import path from "node:path";
import { simQuestions } from "@/lib/sim/from-plan";
import { startSim, type SimOptions, type SimServer } from "@/lib/sim/server";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { launch, prepare, RunConfig, type Prepared, type RunConfigInput } from "../launch";
import type { RunOutcome } from "../run";

export const SHARED_DATA = path.resolve("..", "shared", "data");
export const FIXTURES = path.resolve("lib", "runner", "tasks", "fixtures");

export interface SimRun {
  config: RunConfig;
  prepared: Prepared;
  sim: SimServer;
  outcomes: RunOutcome[];
}

/**
 * Plans the tasks, starts a simulator that knows their questions, and runs them through the real
 * runner. Flags as in RunConfig; the endpoint is filled in with the simulator's URL.
 */
export async function runAgainstSim(
  input: Omit<RunConfigInput, "model" | "workspace"> & { model?: Partial<RunConfigInput["model"]>; workspace?: string },
  sim: Omit<SimOptions, "questions"> = { checkpoints: [{ name: "sim-model", accuracy: 0.6 }] },
): Promise<SimRun> {
  const base = { ...input, workspace: input.workspace ?? tempWorkspace(), model: { endpoint: "openai:http://127.0.0.1:1/v1", ...input.model } };
  const planned = await prepare(RunConfig.parse(base));
  const server = await startSim({ ...sim, questions: simQuestions(planned.runs.map((r) => r.plan)) });
  const config = RunConfig.parse({ ...base, model: { ...base.model, endpoint: `openai:${server.url}` } });
  const prepared = await prepare(config);
  try {
    const outcomes = await launch(config, prepared, { signal: new AbortController().signal });
    return { config, prepared, sim: server, outcomes };
  } catch (error) {
    await server.close();
    throw error;
  }
}
