import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startSim } from "@/lib/sim/server";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";

const bin = path.join(import.meta.dirname, "evalbench.mjs");
const gsm8k = path.resolve("..", "shared", "data", "gsm8k");
const evalbench = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: tempWorkspace() });
const evalbenchAsync = (...args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: tempWorkspace() });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c));
    child.stderr.on("data", (c: Buffer) => (stderr += c));
    child.on("exit", (status) => resolve({ status, stdout, stderr }));
  });
const endpoint = "openai:http://127.0.0.1:8000/v1";

describe("evalbench run: bad input is named, with what to do", () => {
  const ws = tempWorkspace();

  it("an unknown task or variant suggests close names", () => {
    const task = evalbench("run", "-t", "gsm8", "-m", endpoint, "-w", ws, "--dry-run");
    expect(task.status).toBe(1);
    expect(task.stderr).toMatch(/unknown task or suite gsm8 \(did you mean gsm8k/);
    expect(evalbench("run", "-t", "mmlu:cr", "-m", endpoint, "-w", ws, "--dry-run").stderr).toMatch(/task mmlu has no variant cr \(did you mean rc\?\); its variants: rc, chat/);
  });

  it("a bad -o key or value names it and the valid keys", () => {
    const key = evalbench("run", "-t", "gsm8k", "-m", endpoint, "--data", gsm8k, "-o", "sampling.temprature=0.5", "-w", ws, "--dry-run");
    expect(key.stderr).toMatch(/unknown task key "sampling.temprature" \(did you mean sampling.temperature\?\); valid keys: .*fewshot.n/);
    const value = evalbench("run", "-t", "gsm8k", "-m", endpoint, "--data", gsm8k, "-o", "fewshot.n=many", "-w", ws, "--dry-run");
    expect(value.stderr).toMatch(/fewshot.n: .*expected number/);
    expect(evalbench("run", "-t", "gsm8k", "-m", endpoint, "-o", "harness.concurency=3", "-w", ws, "--dry-run").stderr).toMatch(/unknown harness key "concurency"/);
  });

  it("a data file that does not exist, or is not its format, stops before anything is sent", () => {
    expect(evalbench("run", "-t", "gsm8k", "-m", endpoint, "--data", path.join(ws, "nope.jsonl"), "-w", ws).stderr).toMatch(/--data .*nope\.jsonl does not exist/);
    fs.writeFileSync(path.join(ws, "broken.parquet"), "hello");
    expect(evalbench("run", "-t", "gsm8k", "-m", endpoint, "--data", path.join(ws, "broken.parquet"), "-w", ws).stderr).toMatch(/broken\.parquet is not a Parquet file/);
    expect(evalbench("run", "-t", "gsm8k", "-m", "http://user:sk-x@host/v1", "-w", ws).stderr).toMatch(/must not carry credentials/);
  });

  it("--dry-run prints the plan and the first rendered prompts, and reports malformed rows", () => {
    const dir = tempWorkspace();
    fs.writeFileSync(path.join(dir, "test.jsonl"), ['{"question":"What is 2+2?","answer":"#### 4"}', "{oops", '{"question":"What is 3+3?","answer":"#### 6"}'].join("\n"));
    const out = evalbench("run", "-t", "gsm8k", "-t", "mmlu:rc", "-m", endpoint, "--data", `gsm8k=${dir}`, "--data", `mmlu=${path.resolve("..", "shared", "data", "mmlu-subset")}`, "-o", "fewshot.n=0", "--limit", "2", "--model-name", "olmo-1b", "--checkpoint", "step-20000", "-w", ws, "--dry-run");
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/gsm8k -> run gsm8k-olmo-1b-step-20000-[0-9a-f]{6}/);
    expect(out.stdout).toContain("2 questions x 1 sample(s) = 2 records");
    expect(out.stdout).toMatch(/note: 1 malformed row skipped in .*test\.jsonl: row 2 \(row 2: not valid JSON/);
    expect(out.stdout).toContain("| Question: What is 2+2?");
    expect(out.stdout).toMatch(/mmlu:rc -> run mmlu_rc-olmo-1b-step-20000-/);
    expect(out.stdout).toContain('continuations: " 0", " 4", " 2", " 6"');
    expect(out.stdout).toContain("questions: 0, 2\n");
    expect(out.stdout).toContain("sandboxes: none (no task or tool of this run runs code)");
    expect(fs.existsSync(path.join(ws, "runs"))).toBe(false);
  });

  it("--dry-run prints the sandbox plan: each pool's executor, its size from the planner and why, what it offers, and what each task needs of it", { timeout: 90_000 }, () => {
    const humaneval = path.resolve("..", "shared", "data", "humaneval");
    const agent = evalbench("run", "-t", "humaneval", "-m", endpoint, "--data", humaneval, "--limit", "3", "-H", "agent", "-o", "format=chat", "-o", 'harness.tools=["run_python","run_shell"]', "-o", 'harness.sandbox.executors=["docker","bwrap"]', "-w", ws, "--dry-run");
    expect(agent.status).toBe(0);
    expect(agent.stdout).toContain("questions: HumanEval/0, HumanEval/1, HumanEval/2\n");
    // Docker is offered first and has what both need: it serves the tests and the tools, and the plan says whether its engine answers.
    const size = Math.min(32, 6, 2 * os.cpus().length);
    expect(agent.stdout).toMatch(new RegExp(`docker: pool of ${size} \\(the least of concurrency 32, 6 requests, 2 x ${os.cpus().length} cores\\); (works on this host|UNAVAILABLE on this host: the docker client)`));
    expect(agent.stdout).toContain("offers: isolation, python, shell, network none, environments python:3.12-slim");
    expect(agent.stdout).toContain("humaneval (tests): 3 requests needing isolation, python, no network -> docker");
    expect(agent.stdout).toContain("humaneval (tools run_python, run_shell): 3 requests needing isolation, python, shell, no network -> docker");
    const host = evalbench("run", "-t", "humaneval", "-m", endpoint, "--data", humaneval, "-o", 'harness.sandbox.executors=["bwrap"]', "-o", "harness.concurrency=2", "-w", ws, "--dry-run");
    expect(host.stdout).toMatch(/sandboxes \(offered in this order: bwrap; each execution at most 10000 ms, 512 MB, 32 processes, 256 MB of disk\):\n {2}bwrap: pool of 2 \(the least of concurrency 2, 164 requests/);
    expect(host.stdout).toContain("humaneval (tests): 164 requests needing isolation, python, no network -> bwrap");
    expect(host.stdout).toContain("questions: HumanEval/0, HumanEval/1, HumanEval/2, HumanEval/3, HumanEval/4, HumanEval/5, HumanEval/6, HumanEval/7, HumanEval/8, HumanEval/9, ... and 154 more");
    expect(fs.existsSync(path.join(ws, "runs"))).toBe(false);
  });
});

describe("evalbench run against a simulated endpoint", () => {
  it("runs, prints plain progress lines when not on a terminal, and lists the run", async () => {
    const ws = tempWorkspace();
    const sim = await startSim({ checkpoints: [{ name: "olmo-1b-step20000", accuracy: 0.5 }] });
    const out = await evalbenchAsync("run", "-t", "gsm8k", "-m", `openai:${sim.url}`, "--data", gsm8k, "--limit", "20", "--model-name", "olmo-1b", "--checkpoint", "step-20000", "--step", "20000", "-w", ws);
    expect(out.status).toBe(0);
    expect(out.stderr).toMatch(/gsm8k gsm8k-olmo-1b-step-20000-\w+: 20\/20 100% [\d.]+\/s ETA 00:00 errors 0/);
    expect(out.stdout).toMatch(/gsm8k-olmo-1b-step-20000-\w+ {2}complete {2}gsm8k {2}exact_match/);
    const again = await evalbenchAsync("run", "-t", "gsm8k", "-m", `openai:${sim.url}`, "--data", gsm8k, "--limit", "20", "--model-name", "olmo-1b", "--checkpoint", "step-20000", "-w", ws);
    await sim.close();
    expect(again.stderr).toMatch(/already exists \(complete, 20\/20 recorded\); pass --resume/);
    expect(evalbench("ls", "-w", ws).stdout).toMatch(/gsm8k-olmo-1b-step-20000-\w+\s+complete\s+gsm8k\s+olmo-1b\s+step-20000\s+20000\s+20/);
  });

  it("--dry-run --check-endpoint needs the endpoint to answer the probe before the plan, and sends no question", async () => {
    const ws = tempWorkspace();
    let requests = 0;
    const sim = await startSim({ checkpoints: [{ name: "olmo-1b-step20000", accuracy: 0.5 }, { name: "olmo-1b-step30000", accuracy: 0.6 }], onAuthorization: () => requests++ });
    const run = (...extra: string[]) => evalbenchAsync("run", "-t", "gsm8k", "-m", `openai:${sim.url}`, "--data", gsm8k, "--limit", "3", "-w", ws, ...extra);
    const checked = await run("--dry-run", "--check-endpoint", "--served-model", "olmo-1b-step30000");
    // GET /models and the probe's three one-token requests, none of the 3 questions
    expect(requests).toBe(4);
    const several = await run("--dry-run", "--check-endpoint");
    const plain = await run("--dry-run");
    const alone = await run("--check-endpoint");
    await sim.close();
    expect(checked.status).toBe(0);
    expect(checked.stdout).toMatch(new RegExp(`^endpoint ${sim.url} answers GET /models; questions would go to model olmo-1b-step30000\n`));
    expect(checked.stdout).toContain("3 questions x 1 sample(s)");
    expect(checked.stdout).toContain(`endpoint probe of ${sim.url}`);
    // the check fails as the run would, naming what to do
    expect(several.status).toBe(1);
    expect(several.stderr).toMatch(/serves several models \(olmo-1b-step20000, olmo-1b-step30000\); choose one with --served-model/);
    // a plain dry run prints the plan and only notes an endpoint it could not probe
    expect(plain.status).toBe(0);
    expect(plain.stdout).toContain("3 questions x 1 sample(s)");
    expect(plain.stdout).toMatch(/endpoint not probed: .*serves several models/);
    expect(alone.stderr).toMatch(/--check-endpoint goes with --dry-run/);
    expect(fs.existsSync(path.join(ws, "runs"))).toBe(false);
  });

  it("lists tasks, suites and harnesses", () => {
    expect(evalbench("tasks").stdout).toMatch(/arc_challenge:rc/);
    expect(evalbench("suites").stdout).toMatch(/olmes_rc\s+mean_of_means/);
    expect(evalbench("harnesses").stdout).toMatch(/default\s+32/);
  });
});
