import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BwrapExecutor } from "./executors/bwrap";
import { bwrapOrSkip } from "./testing";
import { memoryCgroups } from "./cgroup";
import { diskQuotaUnavailable, unmount } from "./disk-quota";
import { describeFailure, SandboxUnavailableError, type Session } from "./types";

const { executor, skip } = await bwrapOrSkip();

/** Processes still running under a uid (the sandbox's), from /proc. */
function processesOf(uid: number): number[] {
  return fs
    .readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
        return /^Uid:\s+(\d+)/m.exec(status)?.[1] === String(uid) && !/^State:\s+Z/m.test(status);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Live processes of the uid, after giving the kernel up to 5 s to finish killing them. */
async function survivorsOf(uid: number): Promise<number[]> {
  for (let i = 0; i < 50 && processesOf(uid).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  return processesOf(uid);
}

describe.skipIf(skip !== null)("bubblewrap sandbox: model-written code cannot get out", () => {
  let session: Session & { close(): Promise<void> };
  const py = (code: string, limits = {}) => session.exec({ argv: ["python3", "-c", code], limits });
  const hostFolders = () => fs.readdirSync(path.join("/tmp")).filter((d) => d.startsWith(`evalbench-sandbox-${process.pid}`));

  beforeAll(async () => {
    session = await executor.open(7);
  });
  afterAll(async () => {
    await session.close();
  });

  it("runs python and the shell in its work folder, whose files persist across executions of the session", async () => {
    const first = await py("open('notes.txt', 'w').write('kept'); import os; print(os.getcwd())");
    expect(first).toMatchObject({ exit_code: 0, failure: null, stdout: "/work\n" });
    const second = await session.exec({ argv: ["sh", "-c", "cat notes.txt"] });
    expect(second.stdout).toBe("kept");
    expect(hostFolders().length).toBeGreaterThan(0);
  });

  it("cannot reach the network, not even the host's loopback", async () => {
    const server = http.createServer((_req, res) => res.end("secret"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const result = await py(`
import socket
for host, port in [("127.0.0.1", ${port}), ("1.1.1.1", 80), ("8.8.8.8", 53)]:
    try:
        socket.create_connection((host, port), timeout=2)
        print("CONNECTED", host)
    except OSError as e:
        print("refused", host, e.errno)
try:
    socket.getaddrinfo("example.com", 80)
    print("RESOLVED")
except OSError:
    print("no dns")
`);
    server.close();
    expect(result.stdout).not.toMatch(/CONNECTED|RESOLVED/);
    expect(result.stdout).toMatch(/refused 127\.0\.0\.1/);
    expect(result.stdout).toMatch(/no dns/);
  });

  it("cannot read files outside its folder: /etc/shadow, ../../, the repository, other sandboxes' folders", async () => {
    const other = await executor.open(8);
    await other.exec({ argv: ["sh", "-c", "echo private > mine.txt"] });
    const otherHostFolder = fs.readdirSync("/tmp").find((d) => d.startsWith(`evalbench-sandbox-${process.pid}-slot8-`))!;
    const targets = ["/etc/shadow", "/etc/passwd", "../../etc/shadow", "../../../../root/.bashrc", path.resolve("package.json"), `/tmp/${otherHostFolder}/mine.txt`, "/proc/1/root/etc/shadow"];
    const result = await py(`
import sys
for p in ${JSON.stringify(targets)}:
    try:
        open(p).read()
        print("READ", p)
    except OSError as e:
        print("denied", p, type(e).__name__)
`);
    await other.close();
    expect(result.stdout).not.toMatch(/READ/);
    expect(result.stdout.match(/denied/g)).toHaveLength(targets.length);
  });

  it("cannot write outside its folder: the system is read-only, ../ leads nowhere on the host, /tmp is private", async () => {
    const marker = `escape-${Date.now()}`;
    const result = await py(`
for p in ["/usr/${marker}", "/${marker}", "../${marker}", "../../${marker}", "/proc/1/root/tmp/${marker}"]:
    try:
        open(p, "w").write("x")
        print("WROTE", p)
    except OSError as e:
        print("denied", p)
open("/tmp/${marker}", "w").write("private tmp")
`);
    expect(result.exit_code).toBe(0);
    for (const where of ["/usr", "/", "/tmp", ...hostFolders().map((d) => `/tmp/${d}`), process.cwd()]) expect(fs.existsSync(path.join(where, marker))).toBe(false);
  });

  it("does not survive its time limit: the program and everything it started are killed", async () => {
    const result = await py(`
import subprocess, time
subprocess.Popen(["sh", "-c", "sleep 300"], start_new_session=True)
while True: pass
`, { timeout_ms: 1500 });
    expect(result.failure).toBe("timeout");
    expect(await survivorsOf(61007)).toEqual([]);
  });

  it("a background process left behind after a normal exit is killed with the sandbox", async () => {
    const result = await session.exec({ argv: ["sh", "-c", "(setsid sleep 300 &) ; echo started"] });
    expect(result.stdout).toBe("started\n");
    expect(await survivorsOf(61007)).toEqual([]);
  });

  it("cannot fork-bomb the host: the process limit stops it, and the sandbox works afterwards", async () => {
    const result = await py("import os\nwhile True: os.fork()", { timeout_ms: 5000, processes: 16 });
    expect(["processes", "timeout"]).toContain(result.failure);
    expect(await survivorsOf(61007)).toEqual([]);
    expect((await py("print('alive')")).stdout).toBe("alive\n");
  });

  it("cannot exhaust memory: an allocation past the limit fails as a memory failure", async () => {
    const result = await py("x = bytearray(1024 * 1024 * 1024)", { memory_mb: 256 });
    expect(result.failure).toBe("memory");
    const tmpfs = await session.exec({ argv: ["sh", "-c", "head -c 100000000 /dev/zero > /tmp/fill; echo $?"] });
    expect(tmpfs.stdout.trim()).not.toBe("0");
  });

  it.skipIf(memoryCgroups().unavailable !== null)("cannot exhaust memory with many processes: the limit holds for the sandbox as a whole (memory cgroup)", async () => {
    // Four processes of 100 MB each stay under the per-process limit; together they pass the sandbox's.
    const result = await py(`
import os
children = []
for _ in range(4):
    pid = os.fork()
    if pid == 0:
        block = b"x" * (100 * 1024 * 1024)
        import time; time.sleep(2)
        os._exit(0)
    children.append(pid)
statuses = [os.waitpid(pid, 0)[1] for pid in children]
raise SystemExit(0 if all(s == 0 for s in statuses) else 1)
`, { memory_mb: 256 });
    expect(result.failure).toBe("memory");
    expect(describeFailure(result)).toBe("ran out of memory (limit 256 MB)");
    expect((await py("block = b'x' * (100 * 1024 * 1024); print('fits')", { memory_mb: 256 })).stdout).toBe("fits\n");
    expect(executor.capabilities.limitations.join(" ")).not.toMatch(/per process/);
  });

  it.skipIf(diskQuotaUnavailable() !== null)("cannot fill the host's disk: the work folder holds disk_mb in all, and a program that fills it fails as a disk failure", async () => {
    // 40 files of 1 MB, each under the per-file limit, past the 16 MB the folder may hold
    const fill = "for i in range(40): open(f'part{i}', 'wb').write(b'x' * 1024 * 1024)";
    const loud = await py(fill, { disk_mb: 16 });
    expect(loud.failure).toBe("disk");
    expect(describeFailure(loud)).toBe("ran out of disk space (limits: 16 MB in all in its work folder, 16 MB in /tmp and in /dev/shm)");
    const [folder] = hostFolders().filter((d) => d.includes("-slot7-"));
    const written = fs.readdirSync(path.join("/tmp", folder)).reduce((sum, f) => sum + fs.statSync(path.join("/tmp", folder, f)).size, 0);
    expect(written).toBeLessThanOrEqual(16 * 1024 * 1024);
    expect(written).toBeGreaterThan(15 * 1024 * 1024);
    // a program that hides the error is caught by the folder being full, not by its words
    const quiet = await py(`import sys\ntry:\n    ${fill}\nexcept OSError:\n    sys.exit(3)`, { disk_mb: 16 });
    expect(quiet).toMatchObject({ exit_code: 3, failure: "disk", stderr: "" });
    // nor in /tmp, /dev/shm or /dev, each a tmpfs of its own
    for (const where of ["/tmp", "/dev/shm"]) expect((await py(`for i in range(3): open(f'${where}/part{i}', 'wb').write(b'x' * 10 * 1024 * 1024)`)).failure).toBe("disk");
    expect((await session.exec({ argv: ["sh", "-c", "echo x > /dev/planted"] })).stderr).toMatch(/Read-only file system/);
    await session.exec({ argv: ["sh", "-c", "rm part*"] });
    expect((await py("open('small', 'wb').write(b'x' * 1024 * 1024); print('room again')", { disk_mb: 16 })).stdout).toBe("room again\n");
  });

  it("floods of output end the execution instead of filling the host's memory", async () => {
    const result = await py("while True: print('x' * 10000)", { output_bytes: 100_000 });
    expect(result.failure).toBe("output_limit");
    expect(result.stdout.length).toBeLessThanOrEqual(100_000);
  });

  it("runs as an unprivileged user without capabilities and cannot make new namespaces", async () => {
    const result = await session.exec({ argv: ["sh", "-c", "id -u; grep CapEff /proc/self/status; unshare -U true && echo NESTED || echo no-nesting"] });
    const [uid, caps] = result.stdout.split("\n");
    if (process.getuid?.() === 0) expect(uid).toBe("61007");
    expect(caps).toMatch(/CapEff:\s+0+$/);
    expect(result.stdout).toMatch(/no-nesting/);
  });
});

describe.skipIf(skip !== null)("bubblewrap sandbox: start-up failures are infrastructure errors", () => {
  it("a sandbox that cannot start throws SandboxUnavailableError, never a program result", async () => {
    const session = await executor.open(9);
    for (const d of fs.readdirSync("/tmp").filter((d) => d.startsWith(`evalbench-sandbox-${process.pid}-slot9-`))) {
      unmount(path.join("/tmp", d));
      fs.rmSync(path.join("/tmp", d), { recursive: true });
    }
    await expect(session.exec({ argv: ["python3", "-c", "print(1)"] })).rejects.toThrow(SandboxUnavailableError);
    await expect(session.exec({ argv: ["python3", "-c", "print(1)"] })).rejects.toThrow(/the bubblewrap sandbox could not start: bwrap: /);
    await session.close();
  });

  it("a closed sandbox leaves nothing in the temp folder; a killed process's folders go when the next executor starts", async () => {
    const session = await executor.open(5);
    await session.exec({ argv: ["sh", "-c", "echo x > out.txt"] });
    await session.close();
    expect(fs.readdirSync("/tmp").filter((d) => d.startsWith(`evalbench-sandbox-${process.pid}-slot5-`) || d === `evalbench-sandbox-${process.pid}`)).toEqual([]);

    const dead = spawnSync("true").pid!;
    const leftovers = [`/tmp/evalbench-sandbox-${dead}`, `/tmp/evalbench-sandbox-${dead}-slot0-abc`];
    for (const dir of leftovers) fs.mkdirSync(path.join(dir, "work"), { recursive: true });
    // a killed process's work folder still has its size-limited tmpfs mounted
    if (diskQuotaUnavailable() === null) spawnSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", leftovers[1]]);
    new BwrapExecutor();
    expect(leftovers.filter((dir) => fs.existsSync(dir))).toEqual([]);
    expect(fs.readFileSync("/proc/self/mounts", "utf8")).not.toContain(leftovers[1]);
  });

  it.skipIf(memoryCgroups().unavailable !== null)("a closed sandbox leaves no memory cgroup behind", async () => {
    const { parent } = memoryCgroups() as { parent: string };
    const cgroupsOfSlot = () => fs.readdirSync(parent).filter((d) => d.startsWith(`evalbench-sandbox-${process.pid}-slot6-`));
    const session = await executor.open(6);
    expect(cgroupsOfSlot()).toHaveLength(1);
    await session.exec({ argv: ["sh", "-c", "(sleep 300 &); echo started"] });
    await session.close();
    expect(cgroupsOfSlot()).toEqual([]);
  });
});
