import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diskQuotaUnavailable } from "./disk-quota";
import { ContainerExecutor } from "./executors/docker";
import { podmanImageOrSkip } from "./testing";
import { describeFailure, type Session } from "./types";

// The container executor runs for real here with podman (runc, an image imported from a Debian
// root filesystem: scripts/podman-image.sh); Docker runs the same code with another client name,
// and is tested where a Docker engine with python:3.12-slim is at hand.
const podman = await podmanImageOrSkip();
const docker = new ContainerExecutor({ engine: "docker", image: "python:3.12-slim" });
const dockerMissing = await docker.unavailable();
if (dockerMissing) console.warn(`skipping docker executor tests: ${dockerMissing}`);

/** This process's containers still known to podman (running or not). */
const containersLeft = () => execFileSync("podman", ["ps", "-a", "--format", "{{.Names}}"], { encoding: "utf8" }).split("\n").filter((n) => n.startsWith(`evalbench-${process.pid}-`));
const workFolders = () => fs.readdirSync(os.tmpdir()).filter((d) => d.startsWith(`evalbench-podman-${process.pid}-`));

describe("container executors report an engine they cannot use, naming what is missing", () => {
  it.skipIf(podman.skip !== null)("an image the engine does not have", async () => {
    const executor = new ContainerExecutor({ engine: "podman", image: "localhost/evalbench-no-such-image:0" });
    expect(await executor.unavailable()).toBe("the podman engine has no image localhost/evalbench-no-such-image:0; pull it first (podman pull localhost/evalbench-no-such-image:0)");
    expect(await new ContainerExecutor({ engine: "podman", image: podman.image }).unavailable()).toBeNull();
  });

  it("no engine or no client is a reason, never a crash", () => {
    if (dockerMissing) expect(dockerMissing).toMatch(/^the docker (client is not installed|client is installed but no docker engine answers|engine has no image)/);
  });
});

describe.skipIf(podman.skip !== null)("podman executor: model-written code cannot get out, as in bwrap", () => {
  let executor: ContainerExecutor;
  let session: Session & { close(): Promise<void> };
  const py = (code: string, limits = {}) => session.exec({ argv: ["python3", "-c", code], limits });

  beforeAll(async () => {
    executor = new ContainerExecutor({ engine: "podman", image: podman.image });
    session = await executor.open(3);
  });
  afterAll(async () => {
    await session?.close();
  });

  it("runs python and the shell in its work folder as an unprivileged user without capabilities; files persist across executions", async () => {
    const first = await py("import os; open('notes.txt', 'w').write('kept'); print(os.getcwd(), os.getuid())");
    expect(first).toMatchObject({ exit_code: 0, failure: null, stdout: "/work 62003\n" });
    const second = await session.exec({ argv: ["sh", "-c", "cat notes.txt; grep -E 'CapEff|NoNewPrivs' /proc/self/status"] });
    expect(second.stdout).toMatch(/^kept/);
    expect(second.stdout).toMatch(/CapEff:\s+0+\n/);
    expect(second.stdout).toMatch(/NoNewPrivs:\s+1/);
  });

  it("puts files in and takes only files and folders out", async () => {
    const from = fs.mkdtempSync(path.join(os.tmpdir(), "container-in-"));
    fs.writeFileSync(path.join(from, "input.txt"), "given");
    await session.putFiles(from, "job");
    expect((await py("open('job/out.txt', 'w').write(open('job/input.txt').read() + ' back')")).exit_code).toBe(0);
    const to = fs.mkdtempSync(path.join(os.tmpdir(), "container-out-"));
    await session.takeFiles("job", to);
    expect(fs.readFileSync(path.join(to, "out.txt"), "utf8")).toBe("given back");
    expect((await py("import os; os.symlink('/etc/passwd', 'job/link')")).exit_code).toBe(0);
    await expect(session.takeFiles("job", to)).rejects.toThrow(/the sandbox's job\/link is a link; only files and folders are taken out of a sandbox/);
    fs.rmSync(from, { recursive: true });
    fs.rmSync(to, { recursive: true });
  });

  it("cannot reach the network, not even the host's loopback", async () => {
    const server = http.createServer((_req, res) => res.end("secret"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const result = await py(`
import socket
for host, port in [("127.0.0.1", ${port}), ("1.1.1.1", 80), ("deb.debian.org", 80)]:
    try:
        socket.create_connection((host, port), timeout=2)
        print("REACHED", host)
    except OSError:
        print("unreachable", host)
`);
    server.close();
    expect(result.stdout).toBe("unreachable 127.0.0.1\nunreachable 1.1.1.1\nunreachable deb.debian.org\n");
  });

  it("sees none of the host's files: not the repository, not the workspace, not other sandboxes' folders", async () => {
    const other = await executor.open(4);
    try {
      const result = await py(`
import os
for p in [${JSON.stringify(process.cwd())}, "/tmp/${workFolders()[0]}", "/root", "/etc/shadow"]:
    try:
        os.listdir(p) if os.path.isdir(p) else open(p).read()
        print("READ", p)
    except OSError:
        print("denied", p)
`);
      expect(result.stdout.trim().split("\n")).toEqual([`denied ${process.cwd()}`, `denied /tmp/${workFolders()[0]}`, "denied /root", "denied /etc/shadow"]);
    } finally {
      await other.close();
    }
  });

  it("cannot write outside its folder: the image is read-only, and /run, /var/tmp get no writable tmpfs", async () => {
    const result = await py(`
for p in ["/usr/x", "/x", "/etc/x", "/run/x", "/var/tmp/x", "/dev/x"]:
    try:
        open(p, "w").write("x")
        print("WROTE", p)
    except OSError as e:
        print("denied", p)
open("/tmp/x", "w").write("a small private /tmp")
`);
    expect(result.stdout).toBe(["/usr/x", "/x", "/etc/x", "/run/x", "/var/tmp/x", "/dev/x"].map((p) => `denied ${p}\n`).join(""));
    expect(result.exit_code).toBe(0);
  });

  it("does not survive its time limit: the container is killed and removed", async () => {
    const result = await py("import subprocess\nsubprocess.Popen(['sleep', '300'], start_new_session=True)\nwhile True: pass", { timeout_ms: 2000 });
    expect(result.failure).toBe("timeout");
    expect(describeFailure(result)).toBe("killed at the time limit (2000 ms)");
    expect(containersLeft()).toEqual([]);
  });

  it("cannot fork-bomb the host: the process limit stops it, and the sandbox works afterwards", async () => {
    const result = await py("import os\nwhile True: os.fork()", { timeout_ms: 5000, processes: 16 });
    expect(["processes", "timeout"]).toContain(result.failure);
    expect(containersLeft()).toEqual([]);
    expect((await py("print('alive')")).stdout).toBe("alive\n");
  });

  it("cannot exhaust memory, in one process or many: the engine's cgroup holds the limit for the container", async () => {
    const littered = path.join(process.cwd(), "oom");
    expect(fs.existsSync(littered)).toBe(false);
    const one = await py("x = bytearray(1024 ** 3)", { memory_mb: 128 });
    expect(one.failure).toBe("memory");
    expect(describeFailure(one)).toBe("ran out of memory (limit 128 MB)");
    // four processes of 50 MB each: together past the container's 128 MB, so the kernel kills some
    const many = await py(`
import os, time
for _ in range(4):
    if os.fork() == 0:
        block = b"x" * (50 * 1024 * 1024)
        time.sleep(2)
        os._exit(0)
print(sorted(os.wait()[1] for _ in range(4)))
`, { memory_mb: 128 });
    expect(many.stdout).toMatch(/^\[0, 0, 9, 9\]|^\[0, 9, 9, 9\]/);
    expect((await py("block = b'x' * (50 * 1024 * 1024); print('fits')", { memory_mb: 128 })).stdout).toBe("fits\n");
    // podman's conmon marks an out-of-memory kill with an `oom` file in the client's working folder
    expect(fs.existsSync(littered)).toBe(false);
  });

  it("cannot write a file past the file size limit", async () => {
    const result = await py("open('big', 'wb').write(b'x' * 3 * 1024 * 1024)", { file_mb: 2 });
    expect(result.exit_code).not.toBe(0);
    expect(result.stderr).toMatch(/File too large/);
  });

  it.skipIf(diskQuotaUnavailable() !== null)("cannot fill the host's disk: the work folder holds disk_mb in all, /tmp and /dev/shm 16 MB each", async () => {
    const fill = (where: string, n: number) => `for i in range(${n}): open(f'${where}part{i}', 'wb').write(b'x' * 1024 * 1024)`;
    const filled = await py(fill("", 40), { disk_mb: 16 });
    expect(filled.failure).toBe("disk");
    expect(describeFailure(filled)).toBe("ran out of disk space (limits: 16 MB in all in its work folder, 16 MB in /tmp and in /dev/shm)");
    const [folder] = workFolders().filter((d) => d.includes("-slot3-"));
    const work = path.join(os.tmpdir(), folder, "work");
    const written = fs.readdirSync(work).filter((f) => f.startsWith("part")).reduce((sum, f) => sum + fs.statSync(path.join(work, f)).size, 0);
    expect(written).toBeLessThanOrEqual(16 * 1024 * 1024);
    const quiet = await py(`import sys\ntry:\n    ${fill("", 40)}\nexcept OSError:\n    sys.exit(3)`, { disk_mb: 16 });
    expect(quiet).toMatchObject({ exit_code: 3, failure: "disk" });
    for (const where of ["/tmp/", "/dev/shm/"]) expect((await py(fill(where, 30))).failure).toBe("disk");
    await session.exec({ argv: ["sh", "-c", "rm part*"] });
    expect((await py("open('small', 'wb').write(b'x' * 1024 * 1024); print('room again')", { disk_mb: 16 })).stdout).toBe("room again\n");
  });

  it("floods of output end the execution instead of filling the host's memory, and the container goes", async () => {
    const result = await py("while True: print('x' * 10000)", { output_bytes: 100_000 });
    expect(result.failure).toBe("output_limit");
    expect(result.stdout.length).toBeLessThanOrEqual(100_000);
    expect(containersLeft()).toEqual([]);
  });

  it("a closed session leaves nothing in the temp folder; a killed process's folders go when the next executor starts", async () => {
    const extra = await executor.open(5);
    await extra.exec({ argv: ["sh", "-c", "echo x > out.txt"] });
    await extra.close();
    expect(workFolders().filter((d) => d.includes("-slot5-"))).toEqual([]);
    const dead = spawnSync("true").pid!;
    const leftover = path.join(os.tmpdir(), `evalbench-podman-${dead}-slot0-abc`);
    fs.mkdirSync(path.join(leftover, "work"), { recursive: true });
    if (diskQuotaUnavailable() === null) execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", path.join(leftover, "work")]);
    new ContainerExecutor({ engine: "podman", image: podman.image });
    expect(fs.existsSync(leftover)).toBe(false);
  });
});

describe.skipIf(dockerMissing !== null)("docker executor (needs a running Docker engine and the python:3.12-slim image)", () => {
  it("runs python with no network, a private work folder and limits", async () => {
    const session = await docker.open(0);
    const ok = await session.exec({ argv: ["python3", "-c", "open('a','w').write('x'); print(open('a').read())"] });
    expect(ok).toMatchObject({ exit_code: 0, stdout: "x\n" });
    const net = await session.exec({ argv: ["python3", "-c", "import socket; socket.create_connection(('1.1.1.1', 80), timeout=2)"] });
    expect(net.exit_code).not.toBe(0);
    const slow = await session.exec({ argv: ["python3", "-c", "while True: pass"], limits: { timeout_ms: 2000 } });
    expect(slow.failure).toBe("timeout");
    const memory = await session.exec({ argv: ["python3", "-c", "x = bytearray(2 * 1024 ** 3)"], limits: { memory_mb: 128 } });
    expect(memory.failure).toBe("memory");
    await session.close();
  });
});
