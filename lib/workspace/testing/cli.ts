import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

const bin = path.resolve("bin", "evalbench.mjs");

/** The CLI as a process, with these environment variables added: its exit code, stdout and stderr, failing or not. */
export async function evalbench(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
