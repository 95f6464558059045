import { spawn } from "node:child_process";
import type { ExecFailure, ExecResult, Limits } from "./types";

export interface SpawnOptions {
  stdin?: string;
  limits: Limits;
  signal?: AbortSignal;
  /** Open an extra pipe on fd 3, for the sandbox to report that it started. */
  infoFd?: boolean;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export interface Spawned extends Omit<ExecResult, "limits"> {
  /** What came on fd 3 (empty when the sandbox never finished setting up). */
  info: string;
}

const MEMORY = /MemoryError|Cannot allocate memory|std::bad_alloc|out of memory/i;
const DISK = /No space left on device|Disk quota exceeded/i;
const PROCESSES = /Resource temporarily unavailable|BlockingIOError: \[Errno 11\]|fork: retry|can't fork/i;

/**
 * Runs a command in its own process group, keeping at most `output_bytes` of stdout and stderr,
 * and kills the whole group at the time limit, on too much output, or when `signal` aborts.
 */
export function runProcess(argv: string[], options: SpawnOptions): Promise<Spawned> {
  const { limits } = options;
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { detached: true, cwd: options.cwd, env: options.env, stdio: ["pipe", "pipe", "pipe", ...(options.infoFd ? ["pipe" as const] : [])] });
    let failure: ExecFailure | null = null;
    const out = { stdout: [] as Buffer[], stderr: [] as Buffer[], stdoutBytes: 0, stderrBytes: 0 };
    const info: Buffer[] = [];
    const killGroup = (why: ExecFailure) => {
      failure ??= why;
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch (error) {
        // Already gone: nothing left to kill.
        if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
      }
    };
    const collect = (stream: "stdout" | "stderr") => (chunk: Buffer) => {
      const bytes = stream === "stdout" ? (out.stdoutBytes += chunk.length) : (out.stderrBytes += chunk.length);
      if (bytes > limits.output_bytes) return killGroup("output_limit");
      out[stream].push(chunk);
    };
    child.stdout!.on("data", collect("stdout"));
    child.stderr!.on("data", collect("stderr"));
    (child.stdio[3] as NodeJS.ReadableStream | undefined)?.on("data", (chunk: Buffer) => info.push(chunk));
    const timer = setTimeout(() => killGroup("timeout"), limits.timeout_ms);
    const onAbort = () => killGroup("killed");
    options.signal?.addEventListener("abort", onAbort, { once: true });
    child.stdin!.on("error", () => {
      // The program may exit without reading its input (EPIPE); its exit status tells the story.
    });
    child.stdin!.end(options.stdin ?? "");
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      const stdout = Buffer.concat(out.stdout).toString("utf8");
      const stderr = Buffer.concat(out.stderr).toString("utf8");
      if (failure === null && code !== 0) {
        if (signal === "SIGXCPU" || code === 152) failure = "timeout";
        else if (MEMORY.test(stderr)) failure = "memory";
        else if (DISK.test(stderr)) failure = "disk";
        else if (PROCESSES.test(stderr)) failure = "processes";
      }
      resolve({ exit_code: code, signal, stdout, stderr, duration_ms: performance.now() - t0, failure, info: Buffer.concat(info).toString("utf8") });
    });
  });
}
