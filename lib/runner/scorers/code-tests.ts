import { randomUUID } from "node:crypto";
import type { TranscriptEntry } from "@/lib/schema/transcript";
import { Needs } from "@/lib/sandbox/capabilities";
import type { SandboxRouter } from "@/lib/sandbox/router";
import { describeFailure, type Limits } from "@/lib/sandbox/types";
import type { Question, TaskConfig, TaskDefinition } from "../task";
import { extract } from "./extract";

export type TestEntry = Extract<TranscriptEntry, { kind: "tests" }>;

/** The sandbox a task's tests need: its own declaration over the default (python, no network, untrusted). */
export const testNeeds = (task: TaskDefinition) => Needs.parse({ python: true, ...task.needs });

const TAIL = 2000;

/**
 * Runs a task's tests on one answer in a fresh sandbox: passed when the program exits 0 within
 * its limits. A program that times out, runs out of memory or is refused something fails, with
 * the reason recorded; a sandbox that cannot start, or whose disk space ran out, throws (an
 * error for the question, not a fail: the disk limit is the harness's, not the task's).
 */
export async function runCodeTests(task: TaskDefinition, config: TaskConfig, question: Question, response: string, router: SandboxRouter, limits: Partial<Limits>, signal: AbortSignal): Promise<TestEntry> {
  if (!task.testProgram) throw new Error(`task ${task.name} has no tests to run`);
  const code = extract(config.extract, response) ?? "";
  const lease = await router.acquire(testNeeds(task), signal);
  try {
    // Passing means reaching the end: an answer that exits early with status 0 (os._exit(0)) has not passed.
    const reached = `evalbench-tests-done-${randomUUID()}`;
    const program = `${task.testProgram(question, code)}\nprint(${JSON.stringify(reached)})\n`;
    const result = await lease.exec({ argv: ["python3", "-"], stdin: program, limits }, signal);
    const reason = describeFailure(result);
    if (result.failure === "disk") throw new Error(`the tests' program ${reason}; raise it with -o harness.sandbox.disk_mb=N if the task needs more`);
    const finished = result.stdout.includes(reached);
    const output = [result.stdout.replaceAll(`${reached}\n`, ""), result.stderr].filter(Boolean).join("\n");
    return {
      kind: "tests",
      passed: result.exit_code === 0 && result.failure === null && finished,
      exit_code: result.exit_code,
      failure: result.failure,
      reason: reason ?? (result.exit_code !== 0 ? `tests failed (exit ${result.exit_code})` : finished ? null : "exited before the tests finished"),
      output: output.length > TAIL ? `...${output.slice(-TAIL)}` : output,
      duration_ms: Math.round(result.duration_ms),
    };
  } finally {
    await lease.release();
  }
}
