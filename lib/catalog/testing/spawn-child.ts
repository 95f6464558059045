import { spawn } from "node:child_process";
import path from "node:path";

/** Runs one of the scripts in this folder as a child process; resolves to its stdout, rejects with its stderr. */
export function spawnChild(script: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, script), ...args], { stdio: ["ignore", "pipe", "pipe"], env });
    let out = "";
    let err = "";
    proc.stdout.on("data", (chunk: Buffer) => (out += chunk));
    proc.stderr.on("data", (chunk: Buffer) => (err += chunk));
    proc.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`${script} exited ${code}: ${err}`))));
  });
}
