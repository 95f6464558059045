import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { jobStates, type ClusterState } from "../slurm";

// What the cluster tests share: evalbench as a process, a checkpoint folder set-up, `evalbench sim` as each checkpoint's server.

export const bin = path.resolve("bin", "evalbench.mjs");

/** A long-running evalbench (the watcher), with its output so far. */
export function startCli(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [bin, ...args], { env });
  const out = { stdout: "", stderr: "" };
  child.stdout.on("data", (c: Buffer) => (out.stdout += c));
  child.stderr.on("data", (c: Buffer) => (out.stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { out, exited, stop: async () => (child.kill("SIGTERM"), exited), kill: async () => (child.kill("SIGKILL"), exited) };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c));
    child.stderr.on("data", (c: Buffer) => (stderr += c));
    child.on("exit", (status) => resolve({ status, stdout, stderr }));
  });
}

/**
 * A folder with a small gsm8k-style data file and checkpoint folders naming the sim model each
 * serves; `task` is the task's flags with the workspace (the folder itself unless one is named).
 */
export function checkpointSetUp(questions: number, checkpoints: string[], workspace?: string) {
  const ws = tempWorkspace();
  const data = path.join(ws, "q.jsonl");
  fs.writeFileSync(data, Array.from({ length: questions }, (_, i) => JSON.stringify({ question: `What is ${i} + ${i}?`, answer: `#### ${2 * i}` })).join("\n"));
  const folders = checkpoints.map((name) => {
    const dir = path.join(ws, "ckpt", name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "name"), `olmo-${name}`);
    return dir;
  });
  const task = ["-t", "gsm8k", "--data", data, "-o", "fewshot.n=0", "-w", workspace ?? ws];
  return { ws, data, folders, task };
}

/** `evalbench sim` as the served model: it serves the name written in the checkpoint folder. */
export const simServe = (data: string, extra = "") => `${process.execPath} ${bin} sim --port {port} --checkpoint "$(cat {checkpoint}/name)=0.6" -t gsm8k --data ${data} -o fewshot.n=0 ${extra}`;

export async function until<T>(what: string, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 90_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

export const ENDED: ClusterState[] = ["done", "failed", "cancelled"];
export const stateOf = async (id: string) => (await jobStates([id])).get(id);
/** Whether Slurm says the job has ended. */
export const ended = async (id: string) => ENDED.includes((await stateOf(id))?.state as ClusterState);
