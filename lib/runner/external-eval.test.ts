import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { bwrapOrSkip, podmanImageOrSkip } from "@/lib/sandbox/testing";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { listRuns } from "@/lib/catalog/list";
import { readRunRecords } from "./run-records";
import { runExternalEval } from "./external-eval";

const WRITE_RESULTS = `
import json, os, sys
with open(os.path.join(sys.argv[1], "results.jsonl"), "w") as f:
    for i in range(5):
        f.write(json.dumps({"id": f"q{i}", "passed": i % 2, "completion": f"answer {i}"}) + "\\n")
print("done")
`;
const TABLE = { id: "id", score: "passed", response: "completion" };

describe("ExternalEval: another benchmark's own command, its output mapped into the schema", () => {
  it("runs the command, imports what it wrote as a run beside native runs", async () => {
    const ws = tempWorkspace();
    const result = await runExternalEval(ws, { command: ["python3", "-c", WRITE_RESULTS, "{output}"], format: "table" }, { modelName: "m", task: "my_bench", table: TABLE });
    expect(result.created).toHaveLength(1);
    const [manifest] = result.created;
    expect(manifest).toMatchObject({ status: "complete", task: { name: "my_bench" }, model: { name: "m" }, counts: { done: 5 } });
    const records = readRunRecords(ws, manifest.run_id);
    expect(records.map((r) => r.score).sort()).toEqual([0, 0, 0, 1, 1]);
  });

  it("a failing command is an error with the end of its output; nothing is imported", async () => {
    const ws = tempWorkspace();
    await expect(runExternalEval(ws, { command: ["python3", "-c", "import sys; print('broken config', file=sys.stderr); sys.exit(3)"], format: "table" })).rejects.toThrow(/failed \(exit 3\); nothing was imported. Its output ends:\nbroken config/);
    await expect(runExternalEval(ws, { command: ["no-such-benchmark-cli"], format: "lm-eval" })).rejects.toThrow(/cannot start no-such-benchmark-cli: ENOENT/);
    expect(fs.existsSync(path.join(ws, "runs"))).toBe(false);
  });

  it("cancelling kills the command and everything it started; nothing is imported", async () => {
    const ws = tempWorkspace();
    const pidFile = path.join(tempWorkspace(), "pids");
    const script = `import os, subprocess, time\nchild = subprocess.Popen(["sleep", "300"])\nopen(${JSON.stringify(pidFile)}, "w").write(f"{os.getpid()} {child.pid}")\ntime.sleep(300)`;
    const controller = new AbortController();
    const running = runExternalEval(ws, { command: ["python3", "-c", script], format: "table" }, {}, { signal: controller.signal });
    while (!fs.existsSync(pidFile) || fs.readFileSync(pidFile, "utf8") === "") await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    await expect(running).rejects.toThrow(/python3 -c .* was cancelled; nothing was imported/s);
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const pids = fs.readFileSync(pidFile, "utf8").split(" ").map(Number);
    for (let i = 0; i < 50 && pids.some(alive); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(pids.filter(alive)).toEqual([]);
    expect(fs.existsSync(path.join(ws, "runs"))).toBe(false);
  });

  it("{name} placeholders take the values given; other braces in the command are left alone", async () => {
    const ws = tempWorkspace();
    const script = `import json, os, sys\nopen(os.path.join(sys.argv[1], "r.jsonl"), "w").write(json.dumps({"id": "q0", "passed": 1, "completion": sys.argv[2]}))`;
    const result = await runExternalEval(ws, { command: ["python3", "-c", script, "{output}", "{endpoint}"], format: "table" }, { modelName: "m", task: "t", table: TABLE }, { vars: { endpoint: "http://127.0.0.1:9/v1" } });
    expect(readRunRecords(ws, result.created[0].run_id)[0].response).toBe("http://127.0.0.1:9/v1");
  });
});

/** A benchmark folder whose script also reports what it could reach from where it ran. */
function benchmarkFolder(probe = ""): string {
  const dir = tempWorkspace();
  fs.writeFileSync(
    path.join(dir, "bench.py"),
    `import json, os, sys
out = sys.argv[1]
def reach():
${probe || "    return ''"}
seen = reach()
with open(os.path.join(out, "results.jsonl"), "w") as f:
    for i in range(4):
        f.write(json.dumps({"id": f"q{i}", "passed": i % 2, "completion": f"{os.getcwd()} {seen}"}) + "\\n")
`,
  );
  return dir;
}

const PROBE_ISOLATION = `    seen = []
    import socket
    try:
        socket.create_connection(("1.1.1.1", 80), timeout=2); seen.append("NETWORK")
    except OSError: seen.append("no-network")
    for p in ["/etc/shadow", ${JSON.stringify(path.resolve("package.json"))}]:
        try:
            open(p).read(); seen.append("READ " + p)
        except OSError: seen.append("denied")
    return " ".join(seen)`;

const { skip } = await bwrapOrSkip();

describe.skipIf(skip !== null)("ExternalEval in the bubblewrap sandbox", () => {
  const sandbox = { executors: ["bwrap" as const], python: true };

  it("runs the command over a copy of its folder, without network or the host's files, and imports its output", async () => {
    const ws = tempWorkspace();
    const cwd = benchmarkFolder(PROBE_ISOLATION);
    const result = await runExternalEval(ws, { command: ["python3", "bench.py", "{output}"], cwd, format: "table", sandbox }, { modelName: "m", task: "sandboxed_bench", table: TABLE });
    const [manifest] = result.created;
    expect(manifest).toMatchObject({ status: "complete", task: { name: "sandboxed_bench" }, counts: { done: 4 } });
    const records = readRunRecords(ws, manifest.run_id);
    expect(records.map((r) => r.score).sort()).toEqual([0, 0, 1, 1]);
    expect(records[0].response).toBe("/work no-network denied denied");
    expect(await listRuns(ws)).toMatchObject([{ run_id: manifest.run_id, ok: true, status: "complete" }]);
  });

  it("reaches the network only when it declares it (a model server on the host's loopback)", async () => {
    const server = http.createServer((_req, res) => res.end("served"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const cwd = benchmarkFolder(`    import urllib.request\n    return urllib.request.urlopen("http://127.0.0.1:${port}/", timeout=5).read().decode()`);
    try {
      const offline = runExternalEval(tempWorkspace(), { command: ["python3", "bench.py", "{output}"], cwd, format: "table", sandbox }, { table: TABLE });
      await expect(offline).rejects.toThrow(/failed \(exit 1\); nothing was imported. Its output ends:\n[\s\S]*URLError/);
      const ws = tempWorkspace();
      const online = await runExternalEval(ws, { command: ["python3", "bench.py", "{output}"], cwd, format: "table", sandbox: { ...sandbox, network: "internet" } }, { modelName: "m", table: TABLE });
      expect(readRunRecords(ws, online.created[0].run_id)[0].response).toBe("/work served");
    } finally {
      server.close();
    }
  });

  it("a link the command leaves in its output is never followed: the import stops, naming it", async () => {
    const ws = tempWorkspace();
    const command = ["sh", "-c", 'echo \'{"id":"q0","passed":1}\' > "$EVALBENCH_OUTPUT/r.jsonl"; ln -s /etc/shadow "$EVALBENCH_OUTPUT/shadow.jsonl"'];
    await expect(runExternalEval(ws, { command, format: "table", sandbox: { ...sandbox, shell: true } }, { table: TABLE })).rejects.toThrow(/evalbench-output\/shadow.jsonl is a link; only files and folders are taken out of a sandbox/);
    expect(fs.existsSync(path.join(ws, "runs"))).toBe(false);
  });

  it("limits and missing programs end as errors saying why; nothing is imported", async () => {
    const ws = tempWorkspace();
    await expect(runExternalEval(ws, { command: ["python3", "-c", "x = b'x' * (1024 ** 3)"], format: "table", sandbox: { ...sandbox, memory_mb: 128 } })).rejects.toThrow(/ran out of memory \(limit 128 MB\); nothing was imported/);
    await expect(runExternalEval(ws, { command: ["python3", "-c", "while True: pass"], format: "table", timeout_ms: 1500, sandbox })).rejects.toThrow(/did not finish within 1500 ms; raise timeout_ms/);
    await expect(runExternalEval(ws, { command: ["lm_eval", "--tasks", "gsm8k"], format: "lm-eval", sandbox })).rejects.toThrow(/cannot start lm_eval in the bwrap sandbox: it is not there/);
    expect(fs.existsSync(path.join(ws, "runs"))).toBe(false);
  });

  it("a benchmark installed elsewhere on the host runs from a named environment, bound read-only", async () => {
    const toolchain = benchmarkFolder(`    try:\n        open(__file__, "a").write("#")\n        return "WRITABLE"\n    except OSError:\n        return "read-only"`);
    // The sandbox runs under its own uid: an environment must be readable by others.
    fs.chmodSync(toolchain, 0o755);
    const command = ["python3", path.join(toolchain, "bench.py"), "{output}"];
    const withEnvironment = { ...sandbox, environment: "mybench", environments: { mybench: toolchain } };
    const ws = tempWorkspace();
    const result = await runExternalEval(ws, { command, format: "table", sandbox: withEnvironment }, { modelName: "m", table: TABLE });
    expect(readRunRecords(ws, result.created[0].run_id)[0].response).toBe("/work read-only");
    await expect(runExternalEval(ws, { command, format: "table", sandbox })).rejects.toThrow(/can't open file .*bench\.py/);
    await expect(runExternalEval(ws, { command, format: "table", sandbox: { ...withEnvironment, environments: { mybench: path.join(toolchain, "nope") } } })).rejects.toThrow(/bwrap environment mybench: .*nope is not a folder on this host/);
  });

  it("a need no offered executor meets is refused before anything runs", async () => {
    await expect(runExternalEval(tempWorkspace(), { command: ["python3", "-V"], format: "table", sandbox: { ...sandbox, environment: "python:3.12-slim" } })).rejects.toThrow(/the external eval needs a sandbox with isolation, python, no network, environment python:3.12-slim, and no offered executor has it \(bwrap: it has no environment python:3.12-slim \(it has: host\)\)/);
  });
});

const podman = await podmanImageOrSkip();

describe.skipIf(podman.skip !== null)("ExternalEval in a container image (podman)", () => {
  it("asking for an image the engine does not have is an error naming what is missing", async () => {
    await expect(runExternalEval(tempWorkspace(), { command: ["python3", "-V"], format: "table", sandbox: { executors: ["podman"], image: "localhost/evalbench-no-such-image:0" } })).rejects.toThrow(
      /sandbox podman \(for the external eval\) is unavailable: the podman engine has no image localhost\/evalbench-no-such-image:0/,
    );
  });

  it("runs the command in the image over a copy of its folder and imports its output", async () => {
    const ws = tempWorkspace();
    const result = await runExternalEval(ws, { command: ["python3", "bench.py", "{output}"], cwd: benchmarkFolder(PROBE_ISOLATION), format: "table", sandbox: { executors: ["podman"], image: podman.image, environment: podman.image } }, { modelName: "m", table: TABLE });
    const records = readRunRecords(ws, result.created[0].run_id);
    expect(records.map((r) => r.score).sort()).toEqual([0, 0, 1, 1]);
    expect(records[0].response).toMatch(/^\/work no-network denied denied$/);
  });
});
