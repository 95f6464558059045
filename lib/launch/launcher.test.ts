import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepare, RunConfig } from "@/lib/runner/launch";
import { simQuestions } from "@/lib/sim/from-plan";
import { startSim, type SimServer } from "@/lib/sim/server";
import { readRun } from "@/lib/workspace/catalog";
import { readManifest } from "@/lib/workspace/manifest-file";
import { runDir } from "@/lib/workspace/paths";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import type { Env } from "./keys";
import { Launcher, launcherSettings, type Job } from "./launcher";
import { runArgs, toRunConfig, type LaunchRequestInput } from "./request";

const DATA = path.resolve("..", "shared", "data");
const CANARY = "sk-canary-7f3a9c1e5b2d";
const sims: SimServer[] = [];
const authorizations: (string | null)[] = [];

async function sim(latencyMs: number): Promise<SimServer> {
  const planned = await prepare(RunConfig.parse({ tasks: ["gsm8k"], model: { endpoint: "http://127.0.0.1:1/v1" }, data: { gsm8k: path.join(DATA, "gsm8k") }, limit: 40, workspace: tempWorkspace() }));
  const server = await startSim({ checkpoints: [{ name: "ckpt-a", accuracy: 0.4 }, { name: "ckpt-b", accuracy: 0.6 }], questions: simQuestions(planned.runs.map((r) => r.plan)), latencyMs, onAuthorization: (header) => authorizations.push(header) });
  sims.push(server);
  return server;
}

function launcher(workspace: string, env: Env = {}): Launcher {
  return new Launcher(launcherSettings(workspace, { ...process.env, EVALBENCH_DATA: DATA, ...env }));
}

/** Resolves when the job's state satisfies `done` (checked on every change). */
function until(l: Launcher, job: Job, done: (job: Job) => boolean, timeoutMs = 60_000): Promise<Job> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`job still ${job.state} after ${timeoutMs} ms: ${job.error ?? ""}`)), timeoutMs);
    const check = () => {
      if (!done(job)) return;
      clearTimeout(timer);
      l.events.off("change", check);
      resolve(job);
    };
    l.events.on("change", check);
    check();
  });
}
const ended = (job: Job) => ["done", "failed", "cancelled", "stopped"].includes(job.state);

/** Every file under a folder, recursively. */
function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
}

let fast: SimServer;
let slow: SimServer;
beforeAll(async () => {
  fast = await sim(0);
  slow = await sim(150);
});
afterAll(async () => {
  await Promise.all(sims.map((s) => s.close()));
});

const request = (server: SimServer, patch: Partial<LaunchRequestInput> = {}): LaunchRequestInput => ({ tasks: ["gsm8k"], endpoint: server.url, served_model: "ckpt-a", model_name: "olmo", checkpoint: "step-1", step: 1, limit: 10, ...patch });

// each test starts real `evalbench run` processes (a few seconds each under load)
describe("the launcher runs evalbench run as a child process of the server", { timeout: 180_000 }, () => {
  it("a launch with a canary key: the key reaches the endpoint and no file, log or job view", async () => {
    const ws = tempWorkspace();
    const keys = path.join(tempWorkspace(), "keys.json");
    fs.writeFileSync(keys, JSON.stringify({ lab: { key: CANARY, endpoints: [fast.url] } }));
    const l = launcher(ws, { EVALBENCH_KEYS_FILE: keys });
    authorizations.length = 0;
    const job = await until(l, l.launch(request(fast, { api_key: "lab" })), ended);
    expect(job.state, job.error ?? "").toBe("done");
    expect(authorizations).toContain(`Bearer ${CANARY}`);
    expect(job.runs).toHaveLength(1);
    const entry = readRun(ws, job.runs[0].runId);
    expect(entry.ok && entry.status).toBe("complete");
    const written = files(ws);
    expect(written.map((f) => path.relative(ws, f))).toEqual(expect.arrayContaining([`launches/${job.id}.log`, `launches/${job.id}.json`, `runs/${job.runs[0].runId}/records.parquet`]));
    for (const file of written) expect(fs.readFileSync(file).includes(CANARY), file).toBe(false);
    expect(JSON.stringify(l.list())).not.toContain(CANARY);
    expect(runArgs(job.config).join(" ")).not.toContain(CANARY);
  });

  it("a key is refused for an endpoint its entry does not list: nothing is queued, the form names why", () => {
    const keys = path.join(tempWorkspace(), "keys.json");
    fs.writeFileSync(keys, JSON.stringify({ lab: { key: CANARY, endpoints: [fast.url] } }));
    const l = launcher(tempWorkspace(), { EVALBENCH_KEYS_FILE: keys });
    expect(() => l.launch(request(slow, { api_key: "lab" }))).toThrow(expect.objectContaining({ fields: { api_key: expect.stringMatching(/^the key lab may be sent only to http:\/\/127\.0\.0\.1:\d+, not to http:\/\/127\.0\.0\.1:\d+/) } }));
    expect(l.list()).toEqual([]);
  });

  it("without a chosen key the child sends none, even when the server has one", async () => {
    const l = launcher(tempWorkspace(), { OPENAI_API_KEY: CANARY });
    authorizations.length = 0;
    const job = await until(l, l.launch(request(fast)), ended);
    expect(job.state, job.error ?? "").toBe("done");
    expect(authorizations.some((a) => a?.includes(CANARY))).toBe(false);
  });

  it("queues launches beyond EVALBENCH_MAX_RUNS, cancels a running and a queued job, and keeps what was recorded", async () => {
    const ws = tempWorkspace();
    const l = launcher(ws, { EVALBENCH_MAX_RUNS: "1" });
    const running = l.launch(request(slow, { limit: 40, concurrency: 1 }));
    const queued = l.launch(request(slow, { checkpoint: "step-2", step: 2, served_model: "ckpt-b" }));
    expect([running.state, queued.state]).toEqual(["running", "queued"]);
    await until(l, running, (j) => (j.runs[0]?.progress?.done ?? 0) >= 5);
    l.cancel(queued.id);
    expect(queued.state).toBe("cancelled");
    l.cancel(running.id);
    await until(l, running, ended);
    expect(running.state).toBe("cancelled");
    const manifest = readManifest(runDir(ws, running.runs[0].runId));
    expect(manifest.status).toBe("cancelled");
    expect(manifest.counts.done).toBeGreaterThanOrEqual(5);
    expect(manifest.counts.done).toBeLessThan(40);
    expect(fs.readFileSync(path.join(runDir(ws, running.runs[0].runId), "records.ndjson"), "utf8").trim().split("\n")).toHaveLength(manifest.counts.done);
    expect(queued.runs).toEqual([]);
    expect(() => l.cancel(running.id)).toThrow(/job .* is cancelled; only a queued or running job can be cancelled/);

    // resume finishes the same run; a re-run is a new attempt with its own run id
    const resumed = await until(l, l.resume(running.runs[0].runId), ended);
    expect(resumed.state, resumed.error ?? "").toBe("done");
    expect(resumed.runs[0].runId).toBe(running.runs[0].runId);
    expect(readManifest(runDir(ws, running.runs[0].runId))).toMatchObject({ status: "complete", counts: { done: 40 } });
    const again = await until(l, l.rerun(running.id), ended);
    expect(again.state, again.error ?? "").toBe("done");
    expect(again.runs[0].runId).toBe(`${running.runs[0].runId}-r2`);
  });

  it("refuses launches beyond EVALBENCH_MAX_QUEUED waiting runs, naming the limit", async () => {
    const l = launcher(tempWorkspace(), { EVALBENCH_MAX_RUNS: "1", EVALBENCH_MAX_QUEUED: "2" });
    const running = l.launch(request(slow, { limit: 40, concurrency: 1 }));
    const queued = [2, 3].map((step) => l.launch(request(slow, { checkpoint: `step-${step}`, step })));
    expect(queued.map((job) => job.state)).toEqual(["queued", "queued"]);
    expect(() => l.launch(request(slow, { checkpoint: "step-4", step: 4 }))).toThrow(/launch queue holds at most 2 waiting runs \(EVALBENCH_MAX_QUEUED\); 2 are waiting/);
    for (const job of queued) l.cancel(job.id);
    expect(() => l.checkRoom(3)).toThrow(/this asks for 3 more/);
    expect(() => l.checkRoom(2)).not.toThrow();
    l.cancel(running.id);
    await until(l, running, ended);
  });

  it("a failing run names the reason from the child", async () => {
    const l = launcher(tempWorkspace());
    const job = await until(l, l.launch(request(fast, { served_model: "no-such-model" })), ended);
    expect(job.state).toBe("failed");
    expect(job.error).toMatch(/no-such-model/);
  });

  it("when the server goes away its runs end interrupted, and a restarted server offers Resume", async () => {
    const ws = tempWorkspace();
    const config = toRunConfig(request(slow, { limit: 40, concurrency: 1 }), { workspace: ws, dataDir: DATA });
    // a server process as the child sees it: an IPC channel that closes mid-run
    const child = spawn(process.execPath, [path.resolve("bin", "evalbench.mjs"), ...runArgs(config)], { stdio: ["ignore", "ignore", "pipe", "ipc"] });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk));
    await new Promise<void>((resolve) => child.on("message", (m: { type: string; progress?: { done: number } }) => (m.type === "progress" && (m.progress?.done ?? 0) >= 3 ? resolve() : undefined)));
    child.disconnect();
    await new Promise((resolve) => child.on("exit", resolve));
    const [runId] = fs.readdirSync(path.join(ws, "runs"));
    expect(readManifest(runDir(ws, runId)), stderr).toMatchObject({ status: "interrupted", error: expect.stringMatching(/server that launched this run stopped/) });
    expect(readManifest(runDir(ws, runId)).counts.done).toBeGreaterThanOrEqual(3);
  });

  it("jobs that had not ended when the server stopped are stopped on restart, and Resume finishes their runs", async () => {
    const ws = tempWorkspace();
    const first = launcher(ws, { EVALBENCH_MAX_RUNS: "1" });
    const job = first.launch(request(slow, { limit: 40, concurrency: 1 }));
    await until(first, job, (j) => (j.runs[0]?.progress?.done ?? 0) >= 3);
    first.cancel(job.id);
    await until(first, job, ended);
    // the job file as a server that died mid-run leaves it
    const file = path.join(ws, "launches", `${job.id}.json`);
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, "utf8")), state: "running", endedAt: null }));
    const restarted = launcher(ws);
    expect(restarted.get(job.id)).toMatchObject({ state: "stopped", error: expect.stringMatching(/server stopped before this job ended/) });
    const resumed = await until(restarted, restarted.resume(job.runs[0].runId), ended);
    expect(resumed.state, resumed.error ?? "").toBe("done");
    expect(() => restarted.resume("gsm8k-cli-run")).toThrow(/was not launched from this app/);
  });
});

describe("a launch with a harness preset that starts a model server", () => {
  const ws = tempWorkspace();
  const harnessFile = path.join(ws, "harness.json");
  fs.writeFileSync(harnessFile, JSON.stringify({ served: { serve: { command: "vllm serve {checkpoint} --port {port}", timeout_s: 30 } } }));
  const request: LaunchRequestInput = { tasks: ["gsm8k"], harness: "served", checkpoint: "/ckpts/step5", step: 5, limit: 2, data: "local" };

  it("Test endpoint prints the plan without asking an endpoint, naming the preset's server; an API key is refused, since no endpoint of the form is called", async () => {
    const l = launcher(ws, { EVALBENCH_HARNESS_FILE: harnessFile });
    const test = await l.test(request);
    expect(test).toMatchObject({ ok: true, served: true });
    expect(test.output).toContain("model server per checkpoint: vllm serve {checkpoint} --port {port} (from harness preset served; --serve would replace it), given 30 s to answer");
    expect(() => l.validate({ ...request, api_key: "OPENAI_API_KEY" })).toThrow("api_key: harness served starts its own model server for the run, which needs no API key: pick none");
  }, 60_000);
});
