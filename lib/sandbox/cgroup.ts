import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** The files of a memory cgroup, which differ between cgroup v1 and v2. */
interface Flavor {
  version: 1 | 2;
  limit: string;
  /** v1: memory + swap (must stay >= limit); v2: swap alone. */
  swap: string;
  /** Holds the `oom_kill N` counter. */
  events: string;
}

const V1: Flavor = { version: 1, limit: "memory.limit_in_bytes", swap: "memory.memsw.limit_in_bytes", events: "memory.oom_control" };
const V2: Flavor = { version: 2, limit: "memory.max", swap: "memory.swap.max", events: "memory.events" };

/**
 * One sandbox's memory cgroup: every process of the sandbox is charged to it, so the limit holds
 * for the sandbox as a whole (RLIMIT_AS only bounds each process).
 */
export class MemoryCgroup {
  constructor(
    readonly dir: string,
    private readonly flavor: Flavor,
  ) {}

  /** Sets the sandbox's memory limit, swap included (no swapping past it). */
  setLimit(mb: number): void {
    const bytes = String(mb * 1024 * 1024);
    const { limit, swap, version } = this.flavor;
    const swapFile = path.join(this.dir, swap);
    if (version === 2) {
      fs.writeFileSync(path.join(this.dir, limit), bytes);
      if (fs.existsSync(swapFile)) fs.writeFileSync(swapFile, "0");
      return;
    }
    // v1 refuses memory+swap below memory: raise memsw first when growing, lower it last when shrinking.
    const hasSwap = fs.existsSync(swapFile);
    const current = Number(fs.readFileSync(path.join(this.dir, limit), "utf8"));
    if (hasSwap && mb * 1024 * 1024 > current) fs.writeFileSync(swapFile, bytes);
    fs.writeFileSync(path.join(this.dir, limit), bytes);
    if (hasSwap) fs.writeFileSync(swapFile, bytes);
  }

  /** Processes the kernel has killed in this cgroup for want of memory, so far. */
  oomKills(): number {
    const events = fs.readFileSync(path.join(this.dir, this.flavor.events), "utf8");
    return Number(/^oom_kill (\d+)$/m.exec(events)?.[1] ?? 0);
  }

  /** The command, started inside this cgroup: a shell moves itself in, then becomes the command. */
  wrap(argv: string[]): string[] {
    return ["/bin/sh", "-c", 'echo $$ > "$0" && exec "$@"', path.join(this.dir, "cgroup.procs"), ...argv];
  }

  /** Removes the cgroup once its last processes are gone (the kernel may still be reaping them). */
  async remove(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        fs.rmdirSync(this.dir);
        return;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT") return;
        if (code !== "EBUSY" || attempt >= 50) throw new Error(`cannot remove the sandbox's memory cgroup ${this.dir} (${code}); remove it with rmdir once its processes are gone`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
}

/** Where evalbench can make memory cgroups, or why it cannot. */
export type MemoryCgroups = { parent: string; create(name: string): MemoryCgroup; unavailable: null } | { unavailable: string };

/** The host path of this process's cgroup in the hierarchy that has the memory controller. */
function ownMemoryCgroup(): { dir: string; flavor: Flavor } | string {
  const lines = fs.readFileSync("/proc/self/cgroup", "utf8").trim().split("\n");
  const mounts = fs.readFileSync("/proc/self/mountinfo", "utf8").trim().split("\n").map((line) => {
    const [before, after] = line.split(" - ");
    const [, , , root, mountpoint] = before.split(" ");
    const [fstype, , options] = after.split(" ");
    return { root, mountpoint, fstype, options: options.split(",") };
  });
  const under = (root: string, mountpoint: string, own: string) => path.join(mountpoint, path.relative(root, own));
  const v1 = lines.map((l) => l.split(":")).find(([, controllers]) => controllers.split(",").includes("memory"));
  if (v1) {
    const mount = mounts.find((m) => m.fstype === "cgroup" && m.options.includes("memory"));
    if (!mount) return "the memory cgroup hierarchy (v1) is not mounted";
    return { dir: under(mount.root, mount.mountpoint, v1.slice(2).join(":")), flavor: V1 };
  }
  const v2 = lines.find((l) => l.startsWith("0::"));
  const mount = mounts.find((m) => m.fstype === "cgroup2");
  if (!v2 || !mount) return "the kernel offers no memory cgroup controller";
  const dir = under(mount.root, mount.mountpoint, v2.slice(3));
  const delegated = fs.readFileSync(path.join(dir, "cgroup.subtree_control"), "utf8").split(/\s+/).includes("memory");
  if (!delegated) return `cgroup v2's memory controller is not enabled for the children of ${dir} (cgroup.subtree_control); run evalbench in a delegated cgroup, e.g. systemd-run --scope -p Delegate=yes`;
  return { dir, flavor: V2 };
}

/**
 * Finds out once whether evalbench may make memory cgroups here, by making (and removing) one:
 * it needs root or a delegated cgroup. Without them the sandbox falls back to per-process limits.
 */
function detect(): MemoryCgroups {
  let own: ReturnType<typeof ownMemoryCgroup>;
  try {
    own = ownMemoryCgroup();
  } catch (error) {
    return { unavailable: `cannot read this process's cgroups (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  }
  if (typeof own === "string") return { unavailable: own };
  const { dir, flavor } = own;
  const create = (name: string) => {
    const cgroup = path.join(dir, name);
    fs.mkdirSync(cgroup);
    return new MemoryCgroup(cgroup, flavor);
  };
  let probe: MemoryCgroup | null = null;
  try {
    probe = create(`evalbench-probe-${randomUUID()}`);
    probe.setLimit(64);
  } catch (error) {
    return { unavailable: `evalbench may not make memory cgroups under ${dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); run it as root or in a delegated cgroup` };
  } finally {
    if (probe) fs.rmdirSync(probe.dir);
  }
  return { parent: dir, create, unavailable: null };
}

let detected: MemoryCgroups | null = null;

export function memoryCgroups(): MemoryCgroups {
  detected ??= detect();
  return detected;
}
