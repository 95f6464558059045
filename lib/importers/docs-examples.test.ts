import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "evalbench.mjs");

/** The shell commands of docs/importing.md's sh blocks, continuation lines joined, comments dropped. */
function docCommands(): string[] {
  const text = fs.readFileSync(path.join(ROOT, "docs", "importing.md"), "utf8");
  const blocks = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
  return blocks.flatMap((block) =>
    block
      .replace(/\\\n\s*/g, " ")
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line !== "" && !line.startsWith("#")),
  );
}

describe("docs/importing.md's examples", () => {
  const commands = docCommands();

  it("are all evalbench commands on files in the repository", () => {
    expect(commands.length).toBeGreaterThanOrEqual(8);
    for (const command of commands) {
      expect(command, command).toMatch(/^evalbench (import|external) /);
      expect(command, command).not.toContain("shared/data");
    }
  });

  it("each runs in a fresh workspace from the repository's folder, as written", () => {
    const workspace = tempWorkspace();
    for (const command of commands) {
      // `evalbench` as the README's alias defines it; bash expands the globs as a user's shell does
      const result = spawnSync("bash", ["-c", `evalbench() { node "${BIN}" "$@"; }; ${command}`], { cwd: ROOT, encoding: "utf8", env: { ...process.env, EVALBENCH_WORKSPACE: workspace } });
      expect(result.stderr.split("\n").filter((line) => line.startsWith("evalbench: ") && !line.startsWith("evalbench: note:")), command).toEqual([]);
      expect(result.status, `${command}\n${result.stderr}`).toBe(0);
      expect(result.stdout, command).toMatch(/imported [1-9]\d* runs?|"created": \[\n\s+"import-/);
    }
    // one run per example at least: none of them only found an earlier one
    expect(fs.readdirSync(path.join(workspace, "runs")).length).toBeGreaterThanOrEqual(commands.length);
  }, 120_000);
});
