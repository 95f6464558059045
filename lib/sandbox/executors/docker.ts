import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Capabilities } from "../capabilities";
import { DiskQuota, diskQuotaUnavailable, unmount } from "../disk-quota";
import { copyIn, copyOut } from "../files";
import { runProcess } from "../spawn";
import { DEFAULT_LIMITS, SandboxUnavailableError, TMP_MB, type ExecRequest, type ExecResult, type Executor, type Limits, type Session } from "../types";
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
/** Code runs as uid (and gid) UID_BASE + slot: unprivileged, and one per slot so RLIMIT_NPROC counts only that sandbox. */
const UID_BASE = 62000;

/**
 * Runs each execution in a fresh container of an image (Docker or Podman): no network, read-only
 * root, a private work folder (a size-limited tmpfs when evalbench runs as root), small /tmp and
 * /dev/shm, memory, process and CPU limits enforced by the engine's cgroups, file-size limits, no
 * capabilities, no privilege gain, an unprivileged user.
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
    removeLeftovers(this.root, `evalbench-${options.engine}-`, (folder) => unmount(path.join(folder, "work")));
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    const quota = diskQuotaUnavailable();
    const limitations = quota === null ? [] : [`disk use of the work folder is limited per file, not in total: ${quota}`];
    // What the image holds is the image's business: python and sh are assumed of the images it is given.
    this.capabilities = { isolated: true, python: true, shell: true, network: options.network ?? "none", environments: [options.image], limitations };
  }

  async unavailable(): Promise<string | null> {
    const { engine, image } = this.options;
    try {
      // `version` asks the engine (docker's daemon; podman's library), in a format both understand
      await run(engine, ["version", "--format", "{{.Server.Version}}"], { timeout: 10_000 });
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
    // the session's folder: the engine client runs there (podman's conmon may drop an `oom` file in
    // its working folder), and its `work` folder is the container's /work
    const dir = await fs.promises.mkdtemp(path.join(this.root, `${ownedPrefix(`evalbench-${this.options.engine}-`)}slot${slot}-`));
    const work = path.join(dir, "work");
    await fs.promises.mkdir(work);
    const uid = UID_BASE + slot;
    const asRoot = process.getuid?.() === 0;
    // the work folder's total size is limited by a tmpfs mounted on it, owned by the container's user
    const quota = diskQuotaUnavailable() === null ? DiskQuota.mount(work, this.limits.disk_mb, uid, 0o700) : null;
    if (quota === null) await fs.promises.chmod(work, 0o777);
    return {
      workdir: WORKDIR,
      exec: (request, signal) => this.exec(dir, work, slot, uid, quota, { ...this.limits, ...request.limits }, request, signal),
      putFiles: (from, to) => copyIn(work, from, to, asRoot ? uid : null),
      takeFiles: (from, to) => copyOut(work, from, to),
      close: async () => {
        quota?.unmount();
        await fs.promises.rm(dir, { recursive: true, force: true });
      },
    };
  }

  private async exec(dir: string, work: string, slot: number, uid: number, quota: DiskQuota | null, limits: Limits, request: ExecRequest, signal?: AbortSignal): Promise<ExecResult> {
    const { engine, image } = this.options;
    const name = `evalbench-${process.pid}-${slot}-${Date.now()}`;
    quota?.resize(limits.disk_mb);
    const argv = [
      engine, "run", "--rm", "-i", "--name", name,
      "--network", this.capabilities.network === "internet" ? "host" : "none",
      // podman would otherwise mount unlimited tmpfs on /run, /tmp and /var/tmp of a read-only container
      "--read-only", ...(engine === "podman" ? ["--read-only-tmpfs=false"] : []),
      "--tmpfs", `/tmp:size=${TMP_MB}m,mode=1777`, `--shm-size=${TMP_MB}m`,
      `--memory=${limits.memory_mb}m`, `--memory-swap=${limits.memory_mb}m`, `--pids-limit=${limits.processes}`, "--cpus=1",
      // podman sets no other limit once one is given, and a host may refuse its defaults: all three, always
      "--ulimit", `fsize=${limits.file_mb * 1024 * 1024}:${limits.file_mb * 1024 * 1024}`, "--ulimit", "nofile=256:256", "--ulimit", `nproc=${limits.processes}:${limits.processes}`,
      "--cap-drop", "ALL", "--security-opt", "no-new-privileges", "--user", `${uid}:${uid}`,
      "-v", `${work}:${WORKDIR}`, "-w", WORKDIR, "-e", `HOME=${WORKDIR}`,
      image, ...request.argv,
    ];
    const result = await runProcess(argv, { stdin: request.stdin, limits, signal, cwd: dir });
    // Killing the client leaves the container running: remove it by name.
    if (result.failure === "timeout" || result.failure === "killed" || result.failure === "output_limit") await removeContainer(engine, name);
    // 125: the engine itself failed (no image, bad flags); the code never ran.
    if (result.exit_code === 125) throw new SandboxUnavailableError(`${engine} could not start the container: ${result.stderr.trim()}`);
    if (result.exit_code === 137 && result.failure === null) result.failure = "memory";
    // The program failed with its work folder full: it ran out of its disk quota.
    if (quota && result.failure === null && result.exit_code !== 0 && (await quota.full())) result.failure = "disk";
    return { exit_code: result.exit_code, signal: result.signal, stdout: result.stdout, stderr: result.stderr, duration_ms: result.duration_ms, failure: result.failure, limits };
  }
}

/** Removes a container by name; "no such container" means --rm got there first. */
async function removeContainer(engine: string, name: string): Promise<void> {
  try {
    // the program is the container's PID 1, which ignores SIGTERM: podman must not wait out its stop timeout
    await run(engine, ["rm", "-f", ...(engine === "podman" ? ["-t", "0"] : []), name], { timeout: 30_000 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? "";
    if (!/no such container/i.test(stderr)) throw new Error(`could not remove timed-out container ${name}: ${stderr.trim() || (error as Error).message}; remove it with ${engine} rm -f ${name}`);
  }
}
