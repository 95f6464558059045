import { describe, expect, it } from "vitest";
import { Needs, type Capabilities } from "./capabilities";
import { planPools } from "./planner";
import { SandboxPool } from "./pool";
import { NoSandboxError, SandboxRouter } from "./router";
import type { Executor, ExecResult } from "./types";

/** An executor that runs nothing, with the capabilities a test gives it. */
function fakeExecutor(name: string, capabilities: Partial<Capabilities>, opened: number[] = []): Executor {
  const result: ExecResult = { exit_code: 0, signal: null, stdout: name, stderr: "", duration_ms: 0, failure: null, limits: { timeout_ms: 1, memory_mb: 1, processes: 1, file_mb: 1, disk_mb: 1, output_bytes: 1 } };
  return {
    name,
    capabilities: { isolated: true, python: true, shell: true, network: "none", environments: ["host"], limitations: [], ...capabilities },
    unavailable: async () => null,
    open: async (slot) => (opened.push(slot), { workdir: "/work", exec: async () => result, putFiles: async () => undefined, takeFiles: async () => undefined, close: async () => undefined }),
  };
}

describe("capability routing", () => {
  const plain = fakeExecutor("plain", { isolated: false });
  const online = fakeExecutor("online", { network: "internet" });
  const image = fakeExecutor("docker", { environments: ["python:3.12-slim"] });

  it("untrusted code never goes to an executor that does not isolate, whatever the order", () => {
    const router = new SandboxRouter([new SandboxPool(plain, 1), new SandboxPool(image, 1)]);
    expect(router.route(Needs.parse({ python: true })).executor.name).toBe("docker");
    expect(router.route(Needs.parse({ python: true, untrusted: false })).executor.name).toBe("plain");
    const onlyPlain = new SandboxRouter([new SandboxPool(plain, 1)]);
    expect(() => onlyPlain.route(Needs.parse({ python: true }))).toThrow(NoSandboxError);
    expect(() => onlyPlain.route(Needs.parse({ python: true }))).toThrow(/plain: it does not isolate untrusted code/);
  });

  it("routes by network, environment and tools; says what each executor lacks", () => {
    const router = new SandboxRouter([new SandboxPool(online, 1), new SandboxPool(image, 1)]);
    expect(router.route(Needs.parse({ network: "internet" })).executor.name).toBe("online");
    expect(router.route(Needs.parse({ environment: "python:3.12-slim" })).executor.name).toBe("docker");
    expect(() => router.route(Needs.parse({ environment: "rust:1" }))).toThrow(/online: its code can reach the network, it has no environment rust:1 .*docker: it has no environment rust:1/);
  });

  it("the planner sizes one pool per executor from the run's demand, the concurrency and the cores", () => {
    const needs = Needs.parse({ python: true });
    const [plan] = planPools([{ by: "humaneval", needs, requests: 164 }, { by: "mbpp", needs, requests: 500 }], [plain, image], 32, 2);
    expect(plan).toMatchObject({ executor: image, size: 4, serves: ["humaneval", "mbpp"] });
    expect(planPools([{ by: "tiny", needs, requests: 2 }], [image], 32, 8)[0].size).toBe(2);
    expect(() => planPools([{ by: "humaneval", needs, requests: 1 }], [plain], 8)).toThrow(/humaneval needs a sandbox with isolation, python, no network.*plain: it does not isolate/);
  });
});

describe("the warm pool", () => {
  it("opens every slot ahead, lends each to one request at a time, replaces a returned session with a fresh one", async () => {
    const opened: number[] = [];
    const pool = new SandboxPool(fakeExecutor("x", {}, opened), 2);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(opened.sort()).toEqual([0, 1]);
    const a = await pool.acquire();
    const b = await pool.acquire();
    let third = false;
    const waiting = pool.acquire().then((lease) => ((third = true), lease));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(third).toBe(false);
    await a.release();
    const c = await waiting;
    expect(opened).toHaveLength(3);
    await Promise.all([b.release(), c.release()]);
    await pool.close();
  });

  it("a waiting request can be cancelled", async () => {
    const pool = new SandboxPool(fakeExecutor("x", {}), 1);
    const lease = await pool.acquire();
    const controller = new AbortController();
    const waiting = pool.acquire(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toThrow(/cancelled while waiting for a sandbox/);
    await lease.release();
    await pool.close();
  });
});
