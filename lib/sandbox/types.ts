import type { Capabilities } from "./capabilities";

/** Resource limits of one execution. */
export interface Limits {
  /** Wall-clock limit; the whole process tree is killed when it passes. */
  timeout_ms: number;
  /** Address space per process. */
  memory_mb: number;
  /** Processes (and threads) at once. */
  processes: number;
  /** Largest file the code may write. */
  file_mb: number;
  /** All the work folder may hold at once (where the host lets evalbench mount a tmpfs on it). */
  disk_mb: number;
  /** stdout and stderr kept, each; more ends the execution. */
  output_bytes: number;
}

/** The size of the private /tmp and /dev/shm each execution gets (fresh tmpfs, gone when it ends). */
export const TMP_MB = 16;

export const DEFAULT_LIMITS: Limits = { timeout_ms: 10_000, memory_mb: 512, processes: 32, file_mb: 16, disk_mb: 256, output_bytes: 64 * 1024 };

export interface ExecRequest {
  /** Program and arguments, resolved inside the sandbox (e.g. ["python3", "-c", code]). */
  argv: string[];
  stdin?: string;
  limits?: Partial<Limits>;
}

/** Why the sandbox ended an execution, beyond the program's own exit. */
export type ExecFailure = "timeout" | "memory" | "processes" | "disk" | "output_limit" | "killed";

export interface ExecResult {
  exit_code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  duration_ms: number;
  failure: ExecFailure | null;
  /** The limits it ran under. */
  limits: Limits;
}

/** The sandbox could not run the code at all: an infrastructure error, never a wrong answer. */
export class SandboxUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SandboxUnavailableError";
  }
}

/** One sandbox instance: a private work folder; each exec runs fresh processes over it. */
export interface Session {
  /** The work folder as the code sees it. */
  readonly workdir: string;
  exec(request: ExecRequest, signal?: AbortSignal): Promise<ExecResult>;
  /** Copies a host folder to `to` (relative to the work folder), for the code to read and change. */
  putFiles(from: string, to: string): Promise<void>;
  /** Copies `from` (relative to the work folder) to a host folder: only files and folders, never links. */
  takeFiles(from: string, to: string): Promise<void>;
}

/** A kind of sandbox (bubblewrap, Docker, ...), able to open sessions in numbered slots. */
export interface Executor {
  readonly name: string;
  readonly capabilities: Capabilities;
  /** Null when the executor works on this host, else what is missing and what to do. */
  unavailable(): Promise<string | null>;
  /** A session in a fresh work folder; `slot` tells concurrent sessions apart. */
  open(slot: number): Promise<Session & { close(): Promise<void> }>;
}

/** A failure's reason as a recorded error says it. */
export function describeFailure(result: ExecResult): string | null {
  const { limits } = result;
  switch (result.failure) {
    case null:
      return null;
    case "timeout":
      return `killed at the time limit (${limits.timeout_ms} ms)`;
    case "memory":
      return `ran out of memory (limit ${limits.memory_mb} MB)`;
    case "processes":
      return `hit the process limit (${limits.processes})`;
    case "disk":
      return `ran out of disk space (limits: ${limits.disk_mb} MB in all in its work folder, ${TMP_MB} MB in /tmp and in /dev/shm)`;
    case "output_limit":
      return `wrote more than ${limits.output_bytes} bytes of output`;
    case "killed":
      return `killed by signal ${result.signal ?? "?"}`;
  }
}
