import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launch, prepare, probe, RunConfig, type RunConfigInput } from "@/lib/runner/launch";
import { readRunRecords } from "@/lib/runner/run-records";
import { rescoreRun } from "@/lib/runner/rescore";
import { SHARED_DATA } from "@/lib/runner/testing/sim-run";
import { readManifest } from "@/lib/workspace/manifest-file";
import { runDir, runsRoot } from "@/lib/workspace/paths";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { freePort } from "./free-port";
import { startLlamaServer, type LlamaServer } from "./llama";
import { LLAMA_SERVER_CAPABILITIES } from "@/lib/runner/testing/llama-server-capabilities";

const bin = path.resolve("bin", "evalbench.mjs");
const gsm8k = path.join(SHARED_DATA, "gsm8k");
const mmlu = path.join(SHARED_DATA, "mmlu-subset");
// Short answers keep the tiny model quick: it writes noise either way.
const SHORT = ["-o", "sampling.max_tokens=12"];

let server: LlamaServer;
beforeAll(async () => {
  server = await startLlamaServer({ bin: inject("llamaBin"), model: inject("tinyModel"), port: await freePort(), alias: "tiny" });
});
afterAll(() => server?.stop());

type Flags = Omit<RunConfigInput, "model" | "workspace"> & { model?: Partial<RunConfigInput["model"]> };
const configOf = (flags: Flags, workspace = tempWorkspace()) => RunConfig.parse({ ...flags, workspace, model: { endpoint: `openai:${server.url}`, name: "tiny", checkpoint: "random-init", ...flags.model } });
async function run(flags: Flags) {
  const config = configOf(flags);
  const outcomes = await launch(config, await prepare(config), { signal: new AbortController().signal });
  return { config, outcomes, records: outcomes.map((o) => readRunRecords(config.workspace, o.runId)) };
}
const evalbench = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });

describe("the capability probe against llama-server", () => {
  it("finds chat-style logprobs, batching, and no prompt log-probabilities (echo ignored)", async () => {
    const config = configOf({ tasks: ["gsm8k"], data: { "*": gsm8k }, limit: 1 });
    const { caps, gaps } = await probe(config, await prepare(config), new AbortController().signal);
    expect(caps).toMatchObject(LLAMA_SERVER_CAPABILITIES);
    expect(gaps).toEqual([]);
  });

  it("refuses an rc task before the first question, naming the gap and what would work; nothing is recorded", async () => {
    const ws = tempWorkspace();
    const config = configOf({ tasks: ["mmlu:rc"], data: { "*": mmlu }, limit: 2, overrides: ["fewshot.n=0"] }, ws);
    await expect(launch(config, await prepare(config), { signal: new AbortController().signal })).rejects.toThrow(
      `mmlu:rc ranks answers by their log-likelihood, and llama-server at ${server.url} does not return prompt log-probabilities (echo was ignored: only the generated token came back); run the mc formulation of this task (mmlu:mc_logprobs or mmlu or mmlu:chat), or serve the model with vLLM (see docs/endpoints.md)`,
    );
    expect(fs.existsSync(runsRoot(ws))).toBe(false);
    // --dry-run shows the probe's findings and fails the same way
    const dry = evalbench("run", "-t", "mmlu:rc", "-m", `openai:${server.url}`, "--data", mmlu, "-o", "fewshot.n=0", "--limit", "1", "-w", ws, "--dry-run");
    expect(dry.status).toBe(1);
    expect(dry.stdout).toMatch(/endpoint probe of .* \(llama-server\), \d+\.\d\d s:\n {2}chat completions: yes\n {2}completions: yes\n {2}completion logprobs: chat-style \(content\[\]\), 5 alternatives per token when 5 are asked for\n {2}prompt log-probabilities \(echo\): no \(echo was ignored/);
    expect(dry.stderr).toMatch(/^evalbench: mmlu:rc ranks answers by their log-likelihood, and llama-server .* does not return prompt log-probabilities/);
  });

  it("names a model the server does not serve", async () => {
    const config = configOf({ tasks: ["gsm8k"], data: { "*": gsm8k }, limit: 1, model: { served_model: "llama-70b" } });
    await expect(launch(config, await prepare(config), { signal: new AbortController().signal })).rejects.toThrow(`the endpoint ${server.url} does not serve model llama-70b; it serves: tiny`);
  });
});

describe("runs through llama-server", () => {
  it("a generation task over chat and over completions: every question answered, scored 0 or 1, tokens counted", async () => {
    const chat = await run({ tasks: ["gsm8k"], data: { "*": gsm8k }, limit: 4, overrides: SHORT.slice(1) });
    const completion = await run({ tasks: ["gsm8k"], data: { "*": gsm8k }, limit: 4, overrides: [...SHORT.slice(1), "format=completion"] });
    for (const { outcomes, records } of [chat, completion]) {
      expect(outcomes[0].manifest).toMatchObject({ status: "complete", counts: { planned: 4, done: 4, errored: 0 } });
      for (const r of records[0]) {
        expect(r.error).toBeNull();
        expect(typeof r.response).toBe("string");
        expect([0, 1]).toContain(r.score);
        expect(r.input_tokens).toBeGreaterThan(10);
        expect(r.output_tokens).toBeGreaterThanOrEqual(1);
        expect(r.output_tokens).toBeLessThanOrEqual(12);
      }
    }
    expect(chat.records[0][0].prompt).toMatch(/^\[user\]\n/);
    expect(completion.records[0][0].prompt).not.toMatch(/^\[user\]/);
  });

  it("mc by the next token's top log-probabilities: a picked letter is scored, no letter in the top 20 is recorded unscored, never wrong", async () => {
    const { config, outcomes, records } = await run({ tasks: ["mmlu:mc_logprobs"], data: { "*": mmlu }, limit: 8, overrides: ["fewshot.n=0"] });
    const manifest = outcomes[0].manifest;
    expect(manifest).toMatchObject({ status: "complete", counts: { planned: 40, done: 40, errored: 0 } });
    const picked = records[0].filter((r) => r.score !== null);
    const notInTop = records[0].filter((r) => r.score === null);
    // the tiny model's letters stand out for some prompts and not for others: both outcomes occur
    expect(picked.length).toBeGreaterThan(0);
    expect(notInTop.length).toBeGreaterThan(0);
    for (const r of picked) {
      const letters = r.transcript as { continuation: string; logprob: number | null; gold: boolean }[];
      const best = Math.max(...letters.flatMap((l) => (l.logprob === null ? [] : [l.logprob])));
      expect(letters.find((l) => l.continuation === r.extracted)!.logprob).toBe(best);
      expect(r.score).toBe(r.extracted === r.target ? 1 : 0);
    }
    for (const r of notInTop) {
      expect(r.error).toBeNull();
      expect(r.extracted).toBeNull();
      expect(r.response).toMatch(/^not in the top 20: no answer letter among the next token's 20 most likely tokens \(likeliest: /);
    }
    expect(manifest.metrics.exact_match.n).toBe(picked.length);
    expect(manifest.metrics.exact_match.value).toBeCloseTo(picked.reduce((s, r) => s + r.score!, 0) / picked.length, 12);
    // rescore picks again from the stored letters, without the model
    expect((await rescoreRun(config.workspace, outcomes[0].runId)).changed).toBe(0);
  });

  it("concurrency 8: eight requests in flight at once, never more", async () => {
    const { outcomes, records } = await run({ tasks: ["gsm8k"], data: { "*": gsm8k }, limit: 24, concurrency: 8, overrides: [...SHORT.slice(1), "format=completion", "harness.cache=false"] });
    expect(outcomes[0].manifest.counts).toMatchObject({ done: 24, errored: 0 });
    // intervals shrunk by 1 ms at each end, so millisecond rounding never makes a neighbour overlap
    const events = records[0].flatMap((r) => {
      const start = Date.parse(r.started_at!);
      return [
        { at: start + 1, step: 1 },
        { at: start + r.latency_ms! - 1, step: -1 },
      ];
    });
    events.sort((a, b) => a.at - b.at || a.step - b.step);
    let inFlight = 0;
    let most = 0;
    for (const e of events) most = Math.max(most, (inFlight += e.step));
    expect(most).toBe(8);
  });

  const QUESTIONS = 150;
  it("kill -9 mid-run, then --resume: every question once, what was recorded before the kill kept as it was", async () => {
    const ws = tempWorkspace();
    // long enough answers that the run outlasts the journal's first flush (once a second); over
    // completions, as llama-server's chat route answers HTTP 500 to some of the tiny model's noise
    const args = [bin, "run", "-t", "gsm8k", "-m", `openai:${server.url}`, "--data", gsm8k, "--limit", String(QUESTIONS), "--concurrency", "4", "--resume", "-o", "format=completion", "-o", "sampling.max_tokens=48", "-o", "harness.cache=false", "-o", "harness.timeout_ms=30000", "-w", ws];
    const child = spawn(process.execPath, args, { stdio: "ignore" });
    const exited = new Promise<string | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
    const journal = () => (fs.existsSync(runsRoot(ws)) ? fs.readdirSync(runsRoot(ws)).map((id) => path.join(runDir(ws, id), "records.ndjson")).find((f) => fs.existsSync(f) && fs.statSync(f).size > 0) : undefined);
    while (!journal()) await new Promise((resolve) => setTimeout(resolve, 50));
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    const runId = fs.readdirSync(runsRoot(ws))[0];
    const before = readRunRecords(ws, runId);
    expect(before.length).toBeGreaterThan(0);
    expect(before.length).toBeLessThan(QUESTIONS);

    const resumed = spawnSync(process.execPath, args, { encoding: "utf8" });
    expect(resumed.status, resumed.stderr).toBe(0);
    const after = readRunRecords(ws, runId);
    expect(after).toHaveLength(QUESTIONS);
    expect(new Set(after.map((r) => r.instance_id)).size).toBe(QUESTIONS);
    for (const r of before) expect(after.find((a) => a.instance_id === r.instance_id)!.response).toBe(r.response);
    expect(readManifest(runDir(ws, runId))).toMatchObject({ status: "complete", counts: { planned: QUESTIONS, done: QUESTIONS, errored: 0 } });
  });

  it("a server that dies mid-run: what was recorded stays, every later question carries its connection error, none is scored", async () => {
    const dying = await startLlamaServer({ bin: inject("llamaBin"), model: inject("tinyModel"), port: await freePort(), parallel: 2 });
    const config = RunConfig.parse({ tasks: ["gsm8k"], data: { "*": gsm8k }, limit: 60, concurrency: 2, overrides: ["format=completion", "sampling.max_tokens=48", "harness.cache=false", "harness.max_retries=1", "harness.backoff_ms=50"], workspace: tempWorkspace(), model: { endpoint: `openai:${dying.url}` } });
    let killedAt: number | null = null;
    const [outcome] = await launch(config, await prepare(config), {
      signal: new AbortController().signal,
      onProgress: (_run, progress) => {
        if (killedAt === null && progress.done >= 5) {
          killedAt = progress.done;
          dying.process.kill("SIGKILL");
        }
      },
    });
    const records = readRunRecords(config.workspace, outcome.runId);
    expect(records).toHaveLength(60);
    const errored = records.filter((r) => r.error !== null);
    expect(outcome.manifest.counts.errored).toBe(errored.length);
    expect(errored.length).toBeGreaterThan(60 - killedAt! - 2 - 1);
    for (const r of errored) {
      expect(r.score).toBeNull();
      expect(r.error).toMatch(/^(connection failed \((ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET)\)|response cut short.*) at http:\/\/127\.0\.0\.1:\d+\/v1; gave up after 2 attempts$/);
    }
    // everything answered before the kill was scored and kept
    expect(records.filter((r) => r.error === null).every((r) => r.score === 0 || r.score === 1)).toBe(true);
    expect(records.filter((r) => r.error === null).length).toBeGreaterThanOrEqual(killedAt!);
    await dying.stop();
  });
});
