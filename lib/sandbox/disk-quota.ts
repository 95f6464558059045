import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { SandboxUnavailableError } from "./types";

// A sandbox's work folder is a size-limited tmpfs mounted on the host folder: the limit holds for
// everything the sandbox writes there together (RLIMIT_FSIZE only bounds each file), and the host
// still reads and writes the folder to put files in and take them out.

/** Space left under which a failed program is taken to have hit the quota (a tmpfs fills to the page). */
const FULL_BYTES = 64 * 1024;

let unavailable: string | null | undefined;

/** Null when work folders can get a quota on this host (mounting a tmpfs needs root), else why not. */
export function diskQuotaUnavailable(): string | null {
  if (unavailable !== undefined) return unavailable;
  if (process.getuid?.() !== 0) return (unavailable = "not running as root, so work folders cannot be mounted as size-limited tmpfs");
  const probe = fs.mkdtempSync(path.join(os.tmpdir(), "evalbench-quota-probe-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", probe], { stdio: "pipe" });
    execFileSync("umount", [probe], { stdio: "pipe" });
    unavailable = null;
  } catch (error) {
    unavailable = `mounting a tmpfs failed (${String((error as { stderr?: Buffer }).stderr ?? (error as Error).message).trim()})`;
  } finally {
    fs.rmSync(probe, { recursive: true, force: true });
  }
  return unavailable;
}

/** The size-limited tmpfs on one work folder. */
export class DiskQuota {
  private constructor(
    private readonly dir: string,
    private mb: number,
  ) {}

  /**
   * Mounts a tmpfs of `mb` megabytes on the new work folder `dir`, its root owned by `uid` (null:
   * the caller) with `mode`; when that fails, the folder goes and the sandbox is unavailable.
   */
  static mount(dir: string, mb: number, uid: number | null, mode: number): DiskQuota {
    const owner = uid === null ? [] : [`uid=${uid}`, `gid=${uid}`];
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", [`size=${mb}m`, `mode=${mode.toString(8)}`, "nodev", "nosuid", ...owner].join(","), "tmpfs", dir], { stdio: "pipe" });
    } catch (error) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new SandboxUnavailableError(`could not limit the sandbox's disk space (mounting a tmpfs on its work folder failed: ${String((error as { stderr?: Buffer }).stderr ?? (error as Error).message).trim()})`);
    }
    return new DiskQuota(dir, mb);
  }

  /** Changes the size (an execution may ask for another limit); what is already written stays. */
  resize(mb: number): void {
    if (mb === this.mb) return;
    execFileSync("mount", ["-o", `remount,size=${mb}m`, this.dir], { stdio: "pipe" });
    this.mb = mb;
  }

  /** Whether the folder is full: a program that failed then most likely failed for want of space. */
  async full(): Promise<boolean> {
    const stats = await fs.promises.statfs(this.dir);
    return stats.bavail * stats.bsize < FULL_BYTES;
  }

  unmount(): void {
    unmount(this.dir);
  }
}

/**
 * Unmounts a work folder's tmpfs when one is mounted there (a left-over folder of a killed
 * process, or one whose mount is already gone), so the folder can be removed.
 */
export function unmount(dir: string): void {
  const mounted = fs.readFileSync("/proc/self/mounts", "utf8").split("\n").some((line) => line.split(" ")[1] === dir);
  // lazily: a process of the sandbox still holding a file there cannot keep the folder alive
  if (mounted) execFileSync("umount", ["-l", dir], { stdio: "pipe" });
}
