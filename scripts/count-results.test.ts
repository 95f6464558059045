import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";

/** Reports as vitest and Playwright write them (trimmed to the fields read). */
function reports(unit: object, e2e: object): string[] {
  const dir = tempWorkspace();
  fs.writeFileSync(path.join(dir, "unit.json"), JSON.stringify(unit));
  fs.writeFileSync(path.join(dir, "e2e.json"), JSON.stringify(e2e));
  return [path.join(dir, "unit.json"), path.join(dir, "e2e.json")];
}
const count = (...args: string[]) => spawnSync(process.execPath, [path.join(import.meta.dirname, "count-results.mjs"), ...args], { encoding: "utf8" }).stdout.trim();

const passing = { numTotalTests: 3, numPassedTests: 3, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0, testResults: [{ status: "passed", assertionResults: [{ status: "passed" }] }] };
const e2e = { stats: { expected: 4, unexpected: 0, flaky: 0, skipped: 1 } };

describe("count-results", () => {
  it("a test file that throws while loading counts as a failure, though it ran no test", () => {
    const unit = { ...passing, testResults: [...passing.testResults, { status: "failed", message: "boom at import", assertionResults: [] }] };
    expect(count(...reports(unit, e2e))).toBe("7 passed, 1 failed, 1 skipped");
    expect(count("--failed", ...reports(unit, e2e))).toBe("1");
  });

  it("skipped and todo tests are counted and printed; a failing test counts once", () => {
    const unit = { ...passing, numPassedTests: 2, numFailedTests: 1, numPendingTests: 2, numTodoTests: 1, testResults: [{ status: "failed", assertionResults: [{ status: "passed" }, { status: "failed" }] }] };
    expect(count(...reports(unit, e2e))).toBe("6 passed, 1 failed, 4 skipped");
  });

  it("a missing report is a failure", () => {
    expect(count(reports(passing, e2e)[0], "/nonexistent/e2e.json")).toBe("3 passed, 1 failed, 0 skipped");
  });
});
