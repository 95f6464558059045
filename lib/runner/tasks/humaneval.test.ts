import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { diskQuotaUnavailable } from "@/lib/sandbox/disk-quota";
import { bwrapOrSkip } from "@/lib/sandbox/testing";
import type { TranscriptEntry } from "@/lib/schema/transcript";
import { readRunRecords } from "../run-records";
import { runAgainstSim, SHARED_DATA } from "../testing/sim-run";

const humaneval = path.join(SHARED_DATA, "humaneval");
const { skip } = await bwrapOrSkip();
const testsOf = (transcript: unknown[] | null) => (transcript ?? []).find((e) => (e as TranscriptEntry).kind === "tests") as Extract<TranscriptEntry, { kind: "tests" }> | undefined;

describe.skipIf(skip !== null)("humaneval: the model's code runs against the tests in the sandbox", () => {
  it("the canonical solutions pass and the stubs fail: pass@1 follows the checkpoint's accuracy", async () => {
    const { outcomes, sim, config } = await runAgainstSim({ tasks: ["humaneval"], data: { "*": humaneval } }, { checkpoints: [{ name: "coder", accuracy: 0.7 }] });
    await sim.close();
    const [{ manifest, runId }] = outcomes;
    expect(manifest).toMatchObject({ status: "complete", primary_metric: "pass@1", counts: { planned: 164, done: 164, errored: 0 } });
    const records = readRunRecords(config.workspace, runId);
    // Every canonical solution passes its tests, so pass@1 is exactly the share answered right.
    const right = records.filter((r) => r.response?.includes("raise NotImplementedError") === false);
    expect(records.filter((r) => r.score === 1).length).toBe(right.length);
    expect(Math.abs((manifest.metrics["pass@1"].value ?? 0) - 0.7)).toBeLessThan(0.12);
    const failed = records.find((r) => r.score === 0)!;
    expect(testsOf(failed.transcript)).toMatchObject({ passed: false, failure: null, reason: "tests failed (exit 1)" });
    expect(testsOf(failed.transcript)?.output).toMatch(/NotImplementedError/);
  });

  it("pass@k over samples: pass@10 is at least pass@1, each question's samples carry its pass@k", async () => {
    const { outcomes, sim, config } = await runAgainstSim({ tasks: ["humaneval:pass10"], data: { "*": humaneval }, limit: 12 }, { checkpoints: [{ name: "coder", accuracy: 0.3 }] });
    await sim.close();
    const { manifest, runId } = outcomes[0];
    expect(manifest.counts).toMatchObject({ planned: 120, done: 120, errored: 0 });
    expect(manifest.metrics["pass@10"].value).toBeGreaterThan(manifest.metrics["pass@1"].value ?? 1);
    const first = readRunRecords(config.workspace, runId).filter((r) => r.instance_id === "HumanEval/0");
    expect(new Set(first.map((r) => r.scores["pass@10"])).size).toBe(1);
  });

  it("hostile answers (network, /etc/shadow, fork bomb, memory, endless loop) are recorded failures with their reason; the run goes on", async () => {
    const attacks = [
      "import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=2)",
      "open('/etc/shadow').read()",
      "open('../../escape', 'w').write('x')",
      "import os\nwhile True: os.fork()",
      "x = bytearray(4 * 1024 ** 3)",
      "while True: pass",
      "import os\nos._exit(0)",
    ];
    let i = 0;
    const { outcomes, sim, config } = await runAgainstSim(
      { tasks: ["humaneval"], data: { "*": humaneval }, limit: 9, overrides: ["harness.sandbox.timeout_ms=2000"] },
      { checkpoints: [{ name: "hostile", accuracy: 1 }], answer: (q) => (q.id.endsWith("/0") || q.id.endsWith("/1") ? null : `\`\`\`python\n${attacks[i++ % attacks.length]}\n\`\`\``) },
    );
    await sim.close();
    const { manifest, runId } = outcomes[0];
    expect(manifest.counts).toMatchObject({ done: 9, errored: 0 });
    const records = readRunRecords(config.workspace, runId);
    const hostile = records.filter((r) => !["HumanEval/0", "HumanEval/1"].includes(r.instance_id));
    expect(hostile.every((r) => r.score === 0 && r.error === null)).toBe(true);
    const reasons = hostile.map((r) => testsOf(r.transcript)?.reason ?? "");
    expect(reasons.some((r) => /time limit/.test(r))).toBe(true);
    expect(reasons.some((r) => /memory/.test(r))).toBe(true);
    expect(reasons).toContain("exited before the tests finished");
    expect(records.filter((r) => r.score === 1).map((r) => r.instance_id).sort()).toEqual(["HumanEval/0", "HumanEval/1"]);
  });

  it.skipIf(diskQuotaUnavailable() !== null)("an answer that fills the sandbox's disk is an errored question naming the limit, not a wrong answer", async () => {
    const filler = "for i in range(64): open(f'part{i}', 'wb').write(b'x' * 1024 * 1024)";
    const { outcomes, sim, config } = await runAgainstSim(
      { tasks: ["humaneval"], data: { "*": humaneval }, limit: 2, overrides: ["harness.sandbox.disk_mb=16"] },
      { checkpoints: [{ name: "filler", accuracy: 1 }], answer: (q) => (q.id.endsWith("/1") ? `\`\`\`python\n${filler}\n\`\`\`` : null) },
    );
    await sim.close();
    const { manifest, runId } = outcomes[0];
    expect(manifest.counts).toMatchObject({ done: 2, errored: 1 });
    const filled = readRunRecords(config.workspace, runId).find((r) => r.instance_id === "HumanEval/1")!;
    expect(filled.score).toBeNull();
    expect(filled.error).toBe("could not run the tests: the tests' program ran out of disk space (limits: 16 MB in all in its work folder, 16 MB in /tmp and in /dev/shm); raise it with -o harness.sandbox.disk_mb=N if the task needs more");
  });

  it("humaneval:plus runs the plus tests: a solution that passes the base test but not an added edge case fails", async () => {
    // Two problems in EvalPlus's format; the second one's plus test catches a negative-input bug.
    const problem = (id: number, test: string) => ({
      task_id: `HumanEval/${id}`,
      prompt: "def add(a, b):\n    \"\"\"Sum of a and b.\"\"\"\n",
      canonical_solution: "    return a + b if a >= 0 else 0\n",
      entry_point: "add",
      test: `def check(candidate):\n${test}\n`,
    });
    const dir = mkdtempSync(path.join(os.tmpdir(), "humaneval-plus-"));
    const rows = [problem(0, "    assert candidate(1, 2) == 3"), problem(1, "    assert candidate(1, 2) == 3\n    assert candidate(-1, 2) == 1")];
    writeFileSync(path.join(dir, "test.jsonl"), rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
    const { outcomes, sim, config } = await runAgainstSim({ tasks: ["humaneval:plus"], data: { "*": dir } }, { checkpoints: [{ name: "coder", accuracy: 1 }] });
    await sim.close();
    const { manifest, runId } = outcomes[0];
    expect(manifest.counts).toMatchObject({ planned: 2, done: 2, errored: 0 });
    const scores = Object.fromEntries(readRunRecords(config.workspace, runId).map((r) => [r.instance_id, r.score]));
    expect(scores).toEqual({ "HumanEval/0": 1, "HumanEval/1": 0 });
    rmSync(dir, { recursive: true, force: true });
  });
});
