import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Capabilities } from "../capabilities";
import { copyIn, copyOut } from "../files";
import { runProcess } from "../spawn";
import { DEFAULT_LIMITS, SandboxUnavailableError, type ExecRequest, type ExecResult, type Executor, type Limits, type Session } from "../types";
import { ownedPrefix, removeLeftovers } from "@/lib/workspace/leftovers";

const run = promisify(execFile);

export interface ContainerOptions {
  engine: "docker" | "podman";
  /** The image code runs in; it is also the environment name tasks and tools can ask for. */
  image: string;
  /** "internet": the container shares the host's network (a model server on the host's loopback included). Default "none". */
  network?: "none" | "internet";
  root?: string;
  limits?: Partial<Limits>;
}

const WORKDIR = "/work";
/** The unprivileged uid (and gid) code runs as in the container. */
const CONTAINER_USER = 65534;

/**
 * Runs each execution in a fresh container of an image (Docker or Podman): no network, read-only
 * root, a private work folder, memory, process and CPU limits enforced by the engine's cgroups,
 * no capabilities, no privilege gain, an unprivileged user.
 */
export class ContainerExecutor implements Executor {
  readonly name: string;
  readonly capabilities: Capabilities;
  private readonly root: string;
  private readonly limits: Limits;

  constructor(private readonly options: ContainerOptions) {
    this.name = options.engine;
    // as for bwrap: session folders in the temp folder, a killed process's cleared at the next start
    this.root = options.root ?? os.tmpdir();
    removeLeftovers(this.root, `evalbench-${options.engine}-`);
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    // What the image holds is the image's business: python and sh are assumed of the images it is given.
    this.capabilities = { isolated: true, python: true, shell: true, network: options.network ?? "none", environments: [options.image], limitations: [] };
  }

  async unavailable(): Promise<string | null> {
    const { engine, image } = this.options;
    try {
      await run(engine, ["info", "--format", "{{.ServerVersion}}"], { timeout: 10_000 });
    } catch (error) {
      const e = error as NodeJS.ErrnoException & { stderr?: string };
      if (e.code === "ENOENT") return `the ${engine} client is not installed`;
      return `the ${engine} client is installed but no ${engine} engine answers (${(e.stderr ?? e.message).trim().split("\n")[0]}); start the engine, or offer bwrap instead`;
    }
    try {
      await run(engine, ["image", "inspect", image], { timeout: 10_000 });
    } catch {
      return `the ${engine} engine has no image ${image}; pull it first (${engine} pull ${image})`;
    }
    return null;
  }

  async open(slot: number): Promise<Session & { close(): Promise<void> }> {
    await fs.promises.mkdir(this.root, { recursive: true });
    const dir = await fs.promises.mkdtemp(path.join(this.root, `${ownedPrefix(`evalbench-${this.options.engine}-`)}slot${slot}-`));
    await fs.promises.chmod(dir, 0o777);
    return {
      workdir: WORKDIR,
      exec: (request, signal) => this.exec(dir, slot, { ...this.limits, ...request.limits }, request, signal),
      putFiles: (from, to) => copyIn(dir, from, to, process.getuid?.() === 0 ? CONTAINER_USER : null),
      takeFiles: (from, to) => copyOut(dir, from, to),
      close: () => fs.promises.rm(dir, { recursive: true, force: true }),
    };
  }

  private async exec(dir: string, slot: number, limits: Limits, request: ExecRequest, signal?: AbortSignal): Promise<ExecResult> {
    const { engine, image } = this.options;
    const name = `evalbench-${process.pid}-${slot}-${Date.now()}`;
    const argv = [
      engine, "run", "--rm", "-i", "--name", name,
      "--network", this.capabilities.network === "internet" ? "host" : "none", "--read-only", "--tmpfs", "/tmp:size=16m",
      `--memory=${limits.memory_mb}m`, `--memory-swap=${limits.memory_mb}m`, `--pids-limit=${limits.processes}`, "--cpus=1",
      "--cap-drop", "ALL", "--security-opt", "no-new-privileges", "--user", `${CONTAINER_USER}:${CONTAINER_USER}`,
      "-v", `${dir}:${WORKDIR}`, "-w", WORKDIR,
      image, ...request.argv,
    ];
    const result = await runProcess(argv, { stdin: request.stdin, limits, signal });
    // Killing the client leaves the container running: remove it by name.
    if (result.failure === "timeout" || result.failure === "killed" || result.failure === "output_limit") await removeContainer(engine, name);
    // 125: the engine itself failed (no image, bad flags); the code never ran.
    if (result.exit_code === 125) throw new SandboxUnavailableError(`${engine} could not start the container: ${result.stderr.trim()}`);
    if (result.exit_code === 137 && result.failure === null) result.failure = "memory";
    return { exit_code: result.exit_code, signal: result.signal, stdout: result.stdout, stderr: result.stderr, duration_ms: result.duration_ms, failure: result.failure, limits };
  }
}

/** Removes a container by name; "no such container" means --rm got there first. */
async function removeContainer(engine: string, name: string): Promise<void> {
  try {
    await run(engine, ["rm", "-f", name], { timeout: 30_000 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? "";
    if (!/no such container/i.test(stderr)) throw new Error(`could not remove timed-out container ${name}: ${stderr.trim() || (error as Error).message}; remove it with ${engine} rm -f ${name}`);
  }
}
