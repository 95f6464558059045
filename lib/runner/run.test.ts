import fs from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import type { RunManifest } from "@/lib/schema";
import { startSim } from "@/lib/sim/server";
import { readManifest, writeManifest } from "@/lib/workspace/manifest-file";
import { runDir } from "@/lib/workspace/paths";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { launch, prepare, RunConfig } from "./launch";
import { rescoreRun } from "./rescore";
import { readRunRecords } from "./run-records";
import { FIXTURES, runAgainstSim, SHARED_DATA } from "./testing/sim-run";

const gsm8k = path.join(SHARED_DATA, "gsm8k");

describe("evalbench run against the simulator", () => {
  it("runs gsm8k from the local copy: one record per question, ids from the data, scores and labels", async () => {
    const { outcomes, sim, config } = await runAgainstSim(
      { tasks: ["gsm8k"], data: { "*": gsm8k }, limit: 200, model: { name: "olmo-1b", checkpoint: "step-20000", step: 20000 } },
      { checkpoints: [{ name: "olmo-1b-step20000", accuracy: 0.6 }] },
    );
    await sim.close();
    const [{ manifest, runId }] = outcomes;
    expect(runId).toMatch(/^gsm8k-olmo-1b-step-20000-[0-9a-f]{6}$/);
    expect(manifest).toMatchObject({ status: "complete", primary_metric: "exact_match", counts: { planned: 200, done: 200, errored: 0 } });
    expect(manifest.model).toEqual({ name: "olmo-1b", checkpoint: "step-20000", step: 20000, provider: "openai", endpoint: sim.url });
    expect(manifest.task).toMatchObject({ name: "gsm8k", variant: null });
    expect(manifest.metrics.exact_match.higher_is_better).toBe(true);
    // The simulated checkpoint answers 60% right; 200 questions put the measure near it.
    expect(Math.abs((manifest.metrics.exact_match.value ?? 0) - 0.6)).toBeLessThan(0.15);
    const records = readRunRecords(config.workspace, runId);
    records.sort((a, b) => Number(a.instance_id) - Number(b.instance_id));
    expect(records.map((r) => r.instance_id)).toEqual(Array.from({ length: 200 }, (_, i) => String(i)));
    expect(records[0]).toMatchObject({ target: "18", sample: 0, error: null });
    expect(records[0].prompt).toContain("Janet’s ducks");
    expect(records.every((r) => r.score === r.scores.exact_match && r.latency_ms !== null && r.input_tokens !== null)).toBe(true);
  });

  it("two checkpoints differ on known questions: the better one adds questions, rarely loses them", async () => {
    const ws = tempWorkspace();
    const sim = { checkpoints: [{ name: "early", accuracy: 0.3 }, { name: "late", accuracy: 0.7 }] };
    const run = (served: string) => runAgainstSim({ tasks: ["gsm8k"], data: { "*": gsm8k }, limit: 300, workspace: ws, model: { served_model: served, name: "m", checkpoint: served } }, sim);
    const early = await run("early");
    const late = await run("late");
    await Promise.all([early.sim.close(), late.sim.close()]);
    const scores = (r: typeof early) => new Map(readRunRecords(ws, r.outcomes[0].runId).map((x) => [x.instance_id, x.score]));
    const [a, b] = [scores(early), scores(late)];
    let gained = 0;
    let lost = 0;
    for (const [id, s] of a) {
      if (s === 0 && b.get(id) === 1) gained++;
      if (s === 1 && b.get(id) === 0) lost++;
    }
    expect(gained).toBeGreaterThan(80);
    expect(lost).toBeLessThan(gained / 3);
  });

  it("rc: ranks mmlu choices by log-likelihood (echo + logprobs), with every normalisation and bpb", async () => {
    const { outcomes, sim, config } = await runAgainstSim({ tasks: ["mmlu:rc", "hellaswag"], data: { mmlu: path.join(SHARED_DATA, "mmlu-subset"), hellaswag: path.join(FIXTURES, "hellaswag") }, limit: 40, overrides: ["fewshot.n=0"] });
    await sim.close();
    const [mmlu, hellaswag] = outcomes.map((o) => o.manifest);
    expect(Object.keys(mmlu.metrics).sort()).toEqual(["acc_per_char", "acc_per_token", "acc_raw", "bpb"]);
    expect(mmlu.metrics.bpb.higher_is_better).toBe(false);
    expect(mmlu.counts.done).toBe(200);
    expect(Math.abs((mmlu.metrics.acc_per_char.value ?? 0) - 0.6)).toBeLessThan(0.15);
    const record = readRunRecords(config.workspace, outcomes[0].runId).find((r) => r.instance_id === "abstract_algebra-0")!;
    expect(record.subtask).toBe("abstract_algebra");
    expect(record.transcript).toHaveLength(4);
    expect(hellaswag.counts.done).toBe(4);
    expect(readRunRecords(config.workspace, outcomes[1].runId).find((r) => r.instance_id === "500")?.cluster_id).toBe("activity~1");
  });

  it("mc and generation variants, pass@k over repeated samples, several tasks in one command", async () => {
    const { outcomes, sim } = await runAgainstSim({ tasks: ["arc_challenge", "gsm8k:pass5", "squad", "bbh"], data: { arc_challenge: path.join(FIXTURES, "arc_challenge"), gsm8k: gsm8k, squad: path.join(FIXTURES, "squad"), bbh: path.join(FIXTURES, "bbh") }, limit: 20 });
    await sim.close();
    const [arc, pass, squad, bbh] = outcomes.map((o) => o.manifest);
    expect(arc.counts.done).toBe(5);
    expect(pass.counts).toMatchObject({ planned: 100, done: 100 });
    expect(pass.metrics["pass@5"].value).toBeGreaterThan(pass.metrics.exact_match.value ?? 1);
    expect(squad.primary_metric).toBe("f1");
    expect(bbh.counts.done).toBe(8);
  });

  it("the same task under two harnesses: same task hash and questions, only the runtime differs", async () => {
    const ws = tempWorkspace();
    const a = await runAgainstSim({ tasks: ["gsm8k"], data: { "*": gsm8k }, limit: 5, workspace: ws, harness: "default", model: { checkpoint: "a" } });
    const b = await runAgainstSim({ tasks: ["gsm8k"], data: { "*": gsm8k }, limit: 5, workspace: ws, harness: "assistant", model: { checkpoint: "b" } });
    await Promise.all([a.sim.close(), b.sim.close()]);
    const [ma, mb] = [a.outcomes[0].manifest, b.outcomes[0].manifest];
    expect(ma.task.hash).toBe(mb.task.hash);
    expect(mb.harness.config.system_prompt).toMatch(/helpful/);
    const byId = (records: ReturnType<typeof readRunRecords>) => records.sort((x, y) => Number(x.instance_id) - Number(y.instance_id));
    const [ra, rb] = [byId(readRunRecords(ws, ma.run_id)), byId(readRunRecords(ws, mb.run_id))];
    expect(ra.map((r) => r.instance_hash)).toEqual(rb.map((r) => r.instance_hash));
    expect(rb[0].prompt).toMatch(/^\[system\]\nYou are a helpful assistant/);
  });

  it("re-runs are free from the request cache; rescore reproduces the scores without a model", async () => {
    const ws = tempWorkspace();
    let requests = 0;
    const first = await runAgainstSim({ tasks: ["gsm8k"], data: { "*": gsm8k }, limit: 30, workspace: ws, model: { checkpoint: "one" } });
    const config = RunConfig.parse({ ...first.config, model: { ...first.config.model, checkpoint: "two" } });
    const counting = await startSim({ checkpoints: [{ name: "sim-model", accuracy: 0.6 }], onRequest: () => requests++ });
    const again = await launch(RunConfig.parse({ ...config, model: { ...config.model, endpoint: `openai:${first.sim.url}` } }), await prepare(config), { signal: new AbortController().signal });
    await Promise.all([first.sim.close(), counting.close()]);
    expect(again[0].manifest.metrics.exact_match.value).toBe(first.outcomes[0].manifest.metrics.exact_match.value);
    expect(fs.readdirSync(path.join(ws, "cache", "requests")).length).toBeGreaterThan(0);

    const rescored = await rescoreRun(ws, first.outcomes[0].runId);
    expect(rescored.changed).toBe(0);
    expect(rescored.manifest.metrics.exact_match.value).toBe(first.outcomes[0].manifest.metrics.exact_match.value);
    expect(rescored.manifest.notes).toMatch(/no model was called/);
  });
});

describe("the endpoint fails fast, and errors are recorded, never scored", () => {
  it("an unreachable endpoint, an unknown model and an ambiguous one are clear errors before any run", async () => {
    const ws = tempWorkspace();
    const base = { tasks: ["gsm8k"], data: { "*": gsm8k }, limit: 2, workspace: ws };
    const go = async (endpoint: string, served: string | null) => {
      const config = RunConfig.parse({ ...base, model: { endpoint, served_model: served } });
      return launch(config, await prepare(config), { signal: new AbortController().signal });
    };
    const closed = await startSim({ checkpoints: [] });
    await closed.close();
    await expect(go(`openai:${closed.url}`, null)).rejects.toThrow(/cannot reach the endpoint http:\/\/127.0.0.1:\d+\/v1: ECONNREFUSED; is the server running/);
    const sim = await startSim({ checkpoints: [{ name: "a", accuracy: 0.5 }, { name: "b", accuracy: 0.5 }] });
    await expect(go(`openai:${sim.url}`, "c")).rejects.toThrow(/does not serve model c; it serves: a, b/);
    await expect(go(`openai:${sim.url}`, null)).rejects.toThrow(/serves several models \(a, b\); choose one with --served-model/);
    await sim.close();
    expect(fs.existsSync(path.join(ws, "runs"))).toBe(false);
  });

  it("a request refused for its length stops the run loudly, marked failed", async () => {
    const attempt = runAgainstSim({ tasks: ["gsm8k"], data: { "*": gsm8k }, limit: 20, overrides: ["sampling.max_tokens=4000"] }, { checkpoints: [{ name: "m", accuracy: 0.5 }], contextLength: 2048 });
    await expect(attempt).rejects.toThrow(/rejected a request for its length: This model's maximum context length is 2048 tokens.*Lower sampling.max_tokens/);
  });

  it("under 20% injected faults a 2,000-question run completes: every question scored or carrying its error", async () => {
    const dir = tempWorkspace();
    const rows = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ question: `What is ${i} plus ${i + 1}? (q${i})`, answer: `#### ${2 * i + 1}` }));
    fs.writeFileSync(path.join(dir, "test.jsonl"), rows.join("\n"));
    const { outcomes, config, sim } = await runAgainstSim(
      { tasks: ["gsm8k"], data: { "*": dir }, overrides: ["harness.max_retries=2", "harness.backoff_ms=1", "harness.timeout_ms=5000", "harness.cache=false"], concurrency: 64 },
      { checkpoints: [{ name: "m", accuracy: 0.5 }], faultRate: 0.2 },
    );
    await sim.close();
    const { manifest, runId } = outcomes[0];
    const records = readRunRecords(config.workspace, runId);
    expect(records).toHaveLength(2000);
    expect(new Set(records.map((r) => r.instance_id)).size).toBe(2000);
    const errored = records.filter((r) => r.error !== null);
    expect(errored.every((r) => r.score === null && Object.keys(r.scores).length === 0)).toBe(true);
    expect(records.filter((r) => r.error === null).every((r) => r.score === 0 || r.score === 1)).toBe(true);
    // 0.2^3 of questions fail all three attempts: about 16 of 2,000.
    expect(errored.length).toBeGreaterThan(0);
    expect(errored.length).toBeLessThan(60);
    expect(manifest.counts).toEqual({ planned: 2000, done: 2000, errored: errored.length });
    expect(manifest.metrics.exact_match.n).toBe(2000 - errored.length);
    expect(new Set(errored.map((r) => r.error!.replace(/\(.*$/, "").slice(0, 20))).size).toBeGreaterThan(1);
    // each error names the endpoint that failed it
    expect(errored.filter((r) => !r.error!.includes(` at ${sim.url}`)).map((r) => r.error)).toEqual([]);
    // Injected timeouts each hold a request for timeout_ms (long enough that a loaded machine's
    // slow answers are not mistaken for them), up to three times in a row.
  }, 90_000);
});

describe("resume and secrets", () => {
  it("--resume on a run that never started simply starts it", async () => {
    const { outcomes, sim } = await runAgainstSim({ tasks: ["gsm8k"], data: { "*": gsm8k }, limit: 3, resume: true });
    await sim.close();
    expect(outcomes[0].manifest.status).toBe("complete");
  });

  it("never writes the API key: a canary key appears in no file of the workspace", async () => {
    const canary = "sk-canary-7f3a9c2e51d04b8a";
    process.env.EVALBENCH_TEST_KEY = canary;
    const { config, sim, outcomes } = await runAgainstSim({ tasks: ["gsm8k", "mmlu:rc"], data: { gsm8k, mmlu: path.join(FIXTURES, "mmlu") }, limit: 3, overrides: ["fewshot.n=0"], model: { api_key_env: "EVALBENCH_TEST_KEY" } });
    await sim.close();
    delete process.env.EVALBENCH_TEST_KEY;
    expect(outcomes).toHaveLength(2);
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else files.push(full);
      }
    };
    walk(config.workspace);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) expect(fs.readFileSync(file).includes(canary), file).toBe(false);
    expect(readManifest(runDir(config.workspace, outcomes[0].runId)).model.endpoint).toBe(sim.url);
  });
});

describe("a full disk", () => {
  it("ends the run interrupted with a one-line error, no temp manifest left, and --resume finishes it", async () => {
    const ws = tempWorkspace();
    const write = fs.writeSync;
    // the journal's writes fail as on a full disk; run.json still fits
    const full = vi.spyOn(fs, "writeSync").mockImplementation((fd: number, ...rest: unknown[]) => {
      if (fs.readlinkSync(`/proc/self/fd/${fd}`).endsWith("records.ndjson")) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
      return (write as (...args: unknown[]) => number)(fd, ...rest);
    });
    let error: Error;
    try {
      error = await runAgainstSim({ tasks: ["gsm8k"], data: { "*": gsm8k }, limit: 20, workspace: ws }).then(() => new Error("the run did not fail"), (e: Error) => e);
    } finally {
      full.mockRestore();
    }
    expect(error.message).toMatch(/^no space left on the disk holding .*gsm8k.* \(ENOSPC\): what was recorded so far is kept; free some space, then run again with --resume to finish$/);
    const [runId] = fs.readdirSync(path.join(ws, "runs"));
    expect(readManifest(runDir(ws, runId))).toMatchObject({ status: "interrupted", error: error.message });
    expect(fs.readdirSync(runDir(ws, runId)).filter((f) => f.endsWith(".tmp"))).toEqual([]);

    const { outcomes, sim } = await runAgainstSim({ tasks: ["gsm8k"], data: { "*": gsm8k }, limit: 20, workspace: ws, resume: true });
    await sim.close();
    expect(outcomes[0].manifest).toMatchObject({ run_id: runId, status: "complete", counts: { done: 20 } });
  });

  it("a manifest that cannot be written leaves no temp file and the previous run.json whole", () => {
    const dir = tempWorkspace();
    writeManifest(dir, { run_id: "r" } as RunManifest);
    // /dev/full answers every write with ENOSPC
    fs.symlinkSync("/dev/full", path.join(dir, `run.json.${process.pid}.tmp`));
    expect(() => writeManifest(dir, { run_id: "r2" } as RunManifest)).toThrow(/^no space left on the disk holding .* \(ENOSPC\)/);
    expect(fs.readdirSync(dir)).toEqual(["run.json"]);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "run.json"), "utf8"))).toEqual({ run_id: "r" });
  });
});
