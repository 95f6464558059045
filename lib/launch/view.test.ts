import { describe, expect, it } from "vitest";
import type { Job } from "./launcher";
import { LaunchRequest } from "./request";
import { jobView } from "./view";

const job = (progress: Job["runs"][number]["progress"], startedAt = 0): Job => ({
  id: "j1",
  request: LaunchRequest.parse({ tasks: ["gsm8k"], endpoint: "http://127.0.0.1:1/v1", model_name: "olmo", checkpoint: "step-1", step: 1 }),
  config: {} as Job["config"],
  resume: false,
  attempt: null,
  state: "running",
  createdAt: "2026-01-01T00:00:00Z",
  endedAt: null,
  runs: [{ runId: "r1", spec: "gsm8k", status: "running", progress, startedAt }],
  error: null,
});

describe("job views", () => {
  it("rate and ETA come from this session's records; a resumed run counts what it had before", () => {
    const [run] = jobView(job({ done: 20, total: 60, errored: 2, already: 40 }), 10_000).runs;
    expect(run).toMatchObject({ done: 60, planned: 100, errored: 2, rate: 2, eta: 20 });
  });

  it("before the first record there is no rate or ETA", () => {
    expect(jobView(job(null), 5_000).runs[0]).toMatchObject({ done: 0, planned: 0, rate: null, eta: null });
    expect(jobView(job({ done: 0, total: 10, errored: 0, already: 0 }), 5_000).runs[0]).toMatchObject({ rate: null, eta: null });
  });

  it("shows the model label, not the endpoint or the key name", () => {
    const view = jobView(job(null), 0);
    expect(view).toMatchObject({ model: "olmo", checkpoint: "step-1", step: 1, tasks: ["gsm8k"] });
    expect(JSON.stringify(view)).not.toContain("127.0.0.1");
  });
});
