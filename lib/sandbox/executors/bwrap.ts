import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Capabilities } from "../capabilities";
import { memoryCgroups, type MemoryCgroup } from "../cgroup";
import { DiskQuota, diskQuotaUnavailable, unmount } from "../disk-quota";
import { copyIn, copyOut } from "../files";
import { runProcess } from "../spawn";
import { DEFAULT_LIMITS, SandboxUnavailableError, TMP_MB, type ExecRequest, type ExecResult, type Executor, type Limits, type Session } from "../types";
import { ownedPrefix, removeLeftovers } from "@/lib/workspace/leftovers";

export interface BwrapOptions {
  /** Where work folders are made (on the host). */
  root?: string;
  /** The Python inside the sandbox: a path under the read-only /usr. */
  python?: string;
  /** Sandbox processes run as uid uidBase + slot (when evalbench runs as root), one uid per slot. */
  uidBase?: number;
  /** "internet": the code shares the host's network (and its DNS and CA files); default "none". */
  network?: "none" | "internet";
  /**
   * Named environments: host folders (a virtualenv, a benchmark's checkout) each bound read-only at
   * its own path in every sandbox; a request that needs one by name is routed here.
   */
  environments?: Record<string, string>;
  limits?: Partial<Limits>;
}

/** What code with network access needs of /etc to resolve names and check certificates. */
const NETWORK_FILES = ["/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf", "/etc/ssl", "/etc/ca-certificates"];

const WORKDIR = "/work";
const isRoot = () => process.getuid?.() === 0;

function which(program: string): string | null {
  for (const dir of (process.env.PATH ?? "/usr/bin:/bin").split(":")) {
    const full = path.join(dir, program);
    if (fs.existsSync(full)) return full;
  }
  return null;
}

/** /bin, /lib, ... as the host has them: symlinks into /usr (merged /usr) or read-only binds. */
function systemMounts(): string[] {
  const args = ["--ro-bind", "/usr", "/usr"];
  for (const dir of ["/bin", "/sbin", "/lib", "/lib64", "/lib32"]) {
    // system folders of the host, not project files: the bundler need not trace them
    if (!fs.existsSync(/*turbopackIgnore: true*/ dir)) continue;
    const stat = fs.lstatSync(dir);
    if (stat.isSymbolicLink()) args.push("--symlink", fs.readlinkSync(dir), dir);
    else args.push("--ro-bind", dir, dir);
  }
  return args;
}

/**
 * The local process sandbox: each execution is a fresh bubblewrap container with every namespace
 * unshared (no network, own PIDs, own mounts, no new user namespaces inside), a read-only /usr and
 * nothing else of the host's files (no /etc, no /home), a private writable work folder, a small
 * /tmp, a cleared environment, and rlimits on CPU time, memory, processes and file size. As root,
 * each slot runs under its own unprivileged uid so the process limit counts only that sandbox, and
 * (where evalbench may make memory cgroups) its own memory cgroup so the memory limit does too.
 */
const SANDBOX_PREFIX = "evalbench-sandbox-";

export class BwrapExecutor implements Executor {
  readonly name = "bwrap";
  readonly capabilities: Capabilities;
  private readonly root: string;
  private readonly python: string;
  private readonly uidBase: number;
  private readonly limits: Limits;
  private readonly environmentFolders: string[];
  private readonly bwrap: string | null = which("bwrap");

  constructor(options: BwrapOptions = {}) {
    // each session's folder sits right in the temp folder and goes with the session; folders left
    // by a killed process go when the next executor starts
    this.root = options.root ?? os.tmpdir();
    removeLeftovers(this.root, SANDBOX_PREFIX, unmount);
    this.python = options.python ?? "/usr/bin/python3";
    this.uidBase = options.uidBase ?? 61000;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    const environments = options.environments ?? {};
    for (const [name, folder] of Object.entries(environments)) {
      if (!path.isAbsolute(folder) || !fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`bwrap environment ${name}: ${folder} is not a folder on this host (give an absolute path)`);
    }
    this.environmentFolders = Object.values(environments);
    const cgroups = memoryCgroups();
    const limitations: string[] = [];
    const quota = diskQuotaUnavailable();
    if (quota !== null) limitations.push(`disk use of the work folder is limited per file (RLIMIT_FSIZE), not in total: ${quota}`);
    if (cgroups.unavailable !== null) limitations.push(`memory is limited per process (RLIMIT_AS), not per sandbox, so a sandbox may use up to processes x memory_mb: ${cgroups.unavailable}`);
    if (!isRoot()) limitations.push("not running as root: sandboxes run under your own uid, so the process limit counts all your processes");
    this.capabilities = { isolated: this.bwrap !== null, python: fs.existsSync(this.python), shell: fs.existsSync("/usr/bin/sh") || fs.existsSync("/bin/sh"), network: options.network ?? "none", environments: ["host", ...Object.keys(environments)], limitations };
  }

  async unavailable(): Promise<string | null> {
    if (this.bwrap === null) return "bubblewrap (bwrap) is not installed; install it (Debian/Ubuntu: apt-get install -y bubblewrap)";
    const session = await this.open(0);
    try {
      const probe = await session.exec({ argv: ["/usr/bin/true"] });
      if (probe.exit_code !== 0) return `bubblewrap runs but a trivial program failed (exit ${probe.exit_code}): ${probe.stderr.trim()}`;
      return null;
    } catch (error) {
      return (error as Error).message;
    } finally {
      await session.close();
    }
  }

  async open(slot: number): Promise<Session & { close(): Promise<void> }> {
    if (this.bwrap === null) throw new SandboxUnavailableError("bubblewrap (bwrap) is not installed; install it (Debian/Ubuntu: apt-get install -y bubblewrap)");
    await fs.promises.mkdir(this.root, { recursive: true, mode: 0o711 });
    const dir = await fs.promises.mkdtemp(path.join(this.root, `${ownedPrefix(SANDBOX_PREFIX)}slot${slot}-`));
    const uid = isRoot() ? this.uidBase + slot : null;
    const defaults = this.limits;
    // the work folder's total size is limited by a tmpfs mounted on it, owned by the sandbox's user
    const quota = diskQuotaUnavailable() === null ? DiskQuota.mount(dir, defaults.disk_mb, uid, 0o700) : null;
    if (quota === null && uid !== null) await fs.promises.chown(dir, uid, uid);
    if (quota === null) await fs.promises.chmod(dir, 0o700);
    const bwrap = this.bwrap;
    const cgroups = memoryCgroups();
    // One memory cgroup per sandbox when the host allows it: the limit then holds for all its processes together.
    const cgroup = cgroups.unavailable === null ? cgroups.create(path.basename(dir)) : null;
    return {
      workdir: WORKDIR,
      exec: (request, signal) => this.exec(bwrap, dir, uid, cgroup, quota, { ...defaults, ...request.limits }, request, signal),
      putFiles: (from, to) => copyIn(dir, from, to, uid),
      takeFiles: (from, to) => copyOut(dir, from, to),
      close: async () => {
        quota?.unmount();
        await fs.promises.rm(dir, { recursive: true, force: true });
        await cgroup?.remove();
      },
    };
  }

  private async exec(bwrap: string, dir: string, uid: number | null, cgroup: MemoryCgroup | null, quota: DiskQuota | null, limits: Limits, request: ExecRequest, signal?: AbortSignal): Promise<ExecResult> {
    const user = uid === null ? [] : ["setpriv", `--reuid=${uid}`, `--regid=${uid}`, "--clear-groups", "--"];
    const rlimits = ["prlimit", `--as=${limits.memory_mb * 1024 * 1024}`, `--cpu=${Math.ceil(limits.timeout_ms / 1000) + 1}`, `--nproc=${limits.processes}`, `--fsize=${limits.file_mb * 1024 * 1024}`, "--nofile=256", "--core=0", "--"];
    const sandbox = [
      bwrap,
      "--unshare-all",
      ...(this.capabilities.network === "internet" ? ["--share-net", ...NETWORK_FILES.flatMap((f) => ["--ro-bind-try", f, f])] : []),
      "--unshare-user",
      "--disable-userns",
      "--die-with-parent",
      // The program is the namespace's init: no reaper process left as a zombie for the host to collect.
      "--as-pid-1",
      "--new-session",
      ...systemMounts(),
      "--proc", "/proc",
      // /dev is a tmpfs as large as the host's: read-only, with a small /dev/shm of its own
      "--dev", "/dev",
      "--perms", "1777", "--size", String(TMP_MB * 1024 * 1024), "--tmpfs", "/dev/shm",
      "--remount-ro", "/dev",
      "--size", String(TMP_MB * 1024 * 1024),
      "--tmpfs", "/tmp",
      "--bind", dir, WORKDIR,
      ...this.environmentFolders.flatMap((folder) => ["--ro-bind", folder, folder]),
      "--chdir", WORKDIR,
      "--clearenv",
      "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin",
      "--setenv", "HOME", WORKDIR,
      "--setenv", "LANG", "C.UTF-8",
      "--",
    ];
    const program = request.argv[0] === "python3" ? [this.python, ...request.argv.slice(1)] : request.argv;
    // Inside the finished sandbox, a byte on fd 3 reports that set-up succeeded; the program never sees fd 3.
    const started = ["/bin/sh", "-c", 'printf . >&3 && exec "$@" 3>&-', "sh", ...program];
    const argv = [...user, ...rlimits, ...sandbox, ...started];
    cgroup?.setLimit(limits.memory_mb);
    quota?.resize(limits.disk_mb);
    const oomKillsBefore = cgroup?.oomKills() ?? 0;
    const result = await runProcess(cgroup ? cgroup.wrap(argv) : argv, { stdin: request.stdin, limits, signal, infoFd: true });
    // No report on fd 3: bubblewrap itself failed, the code never ran.
    if (result.info === "" && result.failure === null) throw new SandboxUnavailableError(`the bubblewrap sandbox could not start: ${result.stderr.trim() || `exit ${result.exit_code}`}`);
    // The kernel killed a process of the sandbox at its memory limit, and the program did not succeed.
    if (cgroup && result.failure === null && result.exit_code !== 0 && cgroup.oomKills() > oomKillsBefore) result.failure = "memory";
    // The program failed with its work folder full: it ran out of its disk quota.
    if (quota && result.failure === null && result.exit_code !== 0 && (await quota.full())) result.failure = "disk";
    return { exit_code: result.exit_code, signal: result.signal, stdout: result.stdout, stderr: result.stderr, duration_ms: result.duration_ms, failure: result.failure, limits };
  }
}
