import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readManifest } from "@/lib/workspace/manifest-file";
import { runDir } from "@/lib/workspace/paths";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { checkServeCommand, serveLine } from "./serve";

const bin = path.resolve("bin", "evalbench.mjs");

function evalbench(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args]);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c));
    child.stderr.on("data", (c: Buffer) => (stderr += c));
    child.on("exit", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("a model server per checkpoint (--serve), on this machine", () => {
  it("checks the command's placeholders and quotes the checkpoint for the shell", () => {
    expect(() => checkServeCommand("vllm serve {checkpoint}")).toThrow("--serve 'vllm serve {checkpoint}' has no {port}: evalbench picks a free port and the server must listen on it");
    expect(() => checkServeCommand("vllm serve {model} --port {port}")).toThrow("has unknown placeholder(s) {model}; it takes {checkpoint} and {port}");
    expect(serveLine("vllm serve {checkpoint} --port {port}", "/ck/it's; rm -rf x", 8001)).toBe("vllm serve '/ck/it'\\''s; rm -rf x' --port 8001");
  });

  it("a server that dies mid-run fails the run with its exit and log, keeping what was recorded; --resume serves again and finishes with each question once", async () => {
    const ws = tempWorkspace();
    const data = path.join(ws, "q.jsonl");
    fs.writeFileSync(data, Array.from({ length: 40 }, (_, i) => JSON.stringify({ question: `What is ${i} + ${i}?`, answer: `#### ${2 * i}` })).join("\n"));
    const sim = `${process.execPath} ${bin} sim --port {port} --checkpoint olmo=0.6 -t gsm8k --data ${data} -o fewshot.n=0 --latency-ms 150`;
    const args = ["run", "-t", "gsm8k", "--data", data, "-o", "fewshot.n=0", "--concurrency", "1", "--model-name", "olmo", "--checkpoint", "step1", "-w", ws];
    // the server prints a last word and dies after 4 s: after a few answers, before all 40
    const dying = await evalbench([...args, "--serve", `(sleep 4; echo 'worker lost: NCCL error'; kill -9 $$) & exec ${sim}`]);
    expect(dying.status).toBe(1);
    expect(dying.stderr).toMatch(/evalbench: the model server \(.*\) was killed by SIGKILL; last lines of its log .*serve-step1-.*\.log:\n(.*\n)*worker lost: NCCL error/);
    const [runId] = fs.readdirSync(path.join(ws, "runs"));
    const manifest = readManifest(runDir(ws, runId));
    expect(manifest.status).toBe("failed");
    expect(manifest.counts.done).toBeGreaterThan(0);
    expect(manifest.counts.done).toBeLessThan(40);
    expect(manifest.counts.errored).toBe(0);

    const resumed = await evalbench([...args, "--serve", sim, "--resume"]);
    expect(resumed.status).toBe(0);
    const lines = fs.readFileSync(path.join(runDir(ws, runId), "records.ndjson"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { instance_id: string });
    expect(lines).toHaveLength(40);
    expect(new Set(lines.map((l) => l.instance_id)).size).toBe(40);
    expect(readManifest(runDir(ws, runId))).toMatchObject({ status: "complete", counts: { done: 40, errored: 0 } });
  }, 90_000);

  it("a harness preset's serve starts the server when no --serve is given; --serve and -m win over it, and --dry-run says which", async () => {
    const ws = tempWorkspace();
    const data = path.join(ws, "q.jsonl");
    fs.writeFileSync(data, Array.from({ length: 5 }, (_, i) => JSON.stringify({ question: `What is ${i} + ${i}?`, answer: `#### ${2 * i}` })).join("\n"));
    const sim = (name: string) => `${process.execPath} ${bin} sim --port {port} --checkpoint ${name}=0.6 -t gsm8k --data ${data} -o fewshot.n=0`;
    const harness = path.join(ws, "harness.json");
    fs.writeFileSync(harness, JSON.stringify({ simmed: { concurrency: 2, serve: { command: sim("from-preset"), timeout_s: 60 } } }));
    const args = ["run", "-t", "gsm8k", "--data", data, "-o", "fewshot.n=0", "--model-name", "olmo", "-w", ws, "-H", "simmed", "--harness-file", harness];

    const dry = await evalbench([...args, "--checkpoint", "step1", "--dry-run"]);
    expect(dry.stdout).toContain(`model server per checkpoint: ${sim("from-preset")} (from harness preset simmed; --serve would replace it), given 60 s to answer`);
    const explicit = await evalbench([...args, "--checkpoint", "step1", "--dry-run", "--serve", sim("explicit"), "--serve-timeout", "30"]);
    expect(explicit.stdout).toContain(`model server per checkpoint: ${sim("explicit")} (from --serve), given 30 s to answer`);
    const endpoint = await evalbench([...args, "--checkpoint", "step1", "--dry-run", "-m", "openai:http://127.0.0.1:9/v1"]);
    expect(endpoint.stderr).toContain(`evalbench: note: -m names the endpoint, so harness preset simmed's serve (${sim("from-preset")}) is not started`);
    expect(endpoint.stdout).not.toContain("model server per checkpoint");

    // the real thing, with the preset's server, and its file given by the environment instead of the flag
    const run = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, ...args.slice(0, -2), "--checkpoint", "step1"], { env: { ...process.env, EVALBENCH_HARNESS_FILE: harness } });
      let stderr = "";
      child.stderr.on("data", (c: Buffer) => (stderr += c));
      child.on("exit", (status) => resolve({ status, stderr }));
    });
    expect(run.stderr).toMatch(/starting the model server/);
    expect(run.status).toBe(0);
    const [runId] = fs.readdirSync(path.join(ws, "runs"));
    const manifest = readManifest(runDir(ws, runId));
    expect(manifest).toMatchObject({ status: "complete", counts: { done: 5, errored: 0 }, harness: { name: "simmed", config: { concurrency: 2 } } });
    // the serve command is runtime, kept in the server's log, not in the manifest's harness
    expect(manifest.harness.config).not.toHaveProperty("serve");
    const log = fs.readdirSync(path.join(ws, "cluster", "logs")).find((n) => n.startsWith("serve-step1-"));
    expect(fs.readFileSync(path.join(ws, "cluster", "logs", log as string), "utf8")).toMatch(/starting the model server on port \d+: .* sim --port \d+ --checkpoint from-preset=0\.6/);

    fs.writeFileSync(harness, JSON.stringify({ simmed: { serve: "evalbench sim --checkpoint x=0.5" } }));
    const refused = await evalbench([...args, "--checkpoint", "step1"]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(`evalbench: harness file ${harness}: preset simmed: serve 'evalbench sim --checkpoint x=0.5' has no {port}: evalbench picks a free port and the server must listen on it, e.g. 'vllm serve {checkpoint} --port {port}'\n`);
  }, 90_000);

  it("a server that never answers is stopped after --serve-timeout, with its whole process group", async () => {
    const ws = tempWorkspace();
    const data = path.join(ws, "q.jsonl");
    fs.writeFileSync(data, JSON.stringify({ question: "1+1?", answer: "#### 2" }));
    const pidFile = path.join(ws, "child.pid");
    const out = await evalbench(["run", "-t", "gsm8k", "--data", data, "-w", ws, "--serve-timeout", "2", "--serve", `sleep 600 & echo $! > ${pidFile}; echo loading {port}; wait`]);
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/did not answer http:\/\/127\.0\.0\.1:\d+\/v1\/models within 2 s \(--serve-timeout\); last lines of its log .*:\n(.*\n)*loading \d+/);
    const pid = Number(fs.readFileSync(pidFile, "utf8"));
    const alive = () => {
      try {
        // a zombie waiting for init to reap it is dead too
        return !fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(" ")[2].startsWith("Z");
      } catch {
        return false;
      }
    };
    await expect.poll(alive, { message: "the server's own child is gone too", timeout: 5000 }).toBe(false);
    expect(fs.existsSync(path.join(ws, "runs")), "no run was opened").toBe(false);
  }, 60_000);
});
