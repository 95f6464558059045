import { describe, expect, it } from "vitest";
import { ContainerExecutor } from "./executors/docker";

const docker = new ContainerExecutor({ engine: "docker", image: "python:3.12-slim" });
const podman = new ContainerExecutor({ engine: "podman", image: "python:3.12-slim" });
const missing = { docker: await docker.unavailable(), podman: await podman.unavailable() };
for (const [engine, reason] of Object.entries(missing)) if (reason) console.warn(`skipping ${engine} executor tests: ${reason}`);

describe("container executors report an engine they cannot use, naming what is missing", () => {
  it("no engine, no client or no image is a reason, never a crash", () => {
    for (const reason of Object.values(missing)) if (reason) expect(reason).toMatch(/not installed|no (docker|podman) engine answers|has no image/);
  });
});

for (const [engine, executor] of [["docker", docker], ["podman", podman]] as const) {
  describe.skipIf(missing[engine] !== null)(`${engine} executor (needs a running ${engine} engine and the python:3.12-slim image)`, () => {
    it("runs python with no network, a private work folder and limits", async () => {
      const session = await executor.open(0);
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
}
