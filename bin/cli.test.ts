import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MANIFEST_FILE, runDir } from "@/lib/workspace/paths";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";

const bin = path.join(import.meta.dirname, "evalbench.mjs");
const evalbench = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: tempWorkspace() });

describe("evalbench CLI", () => {
  const ws = tempWorkspace();

  it("demo fills a workspace and ls lists it, as text and as JSON manifests", () => {
    const demo = evalbench("demo", "--workspace", ws, "--size", "40");
    expect(demo.status).toBe(0);
    expect(demo.stdout).toContain("wrote 12 demo runs");

    const text = evalbench("ls", "--workspace", ws);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/demo-gsm8k-step40000\s+complete\s+gsm8k\s+demo-lm-1b\s+step-40000\s+40000/);

    const json = evalbench("ls", "--workspace", ws, "--json");
    const manifests = JSON.parse(json.stdout);
    expect(manifests).toHaveLength(12);
    expect(manifests[0]).toHaveProperty("schema_version", 1);
  });

  it("ls exits non-zero naming a broken run, and still lists the others", () => {
    fs.mkdirSync(runDir(ws, "broken"));
    fs.writeFileSync(path.join(runDir(ws, "broken"), MANIFEST_FILE), JSON.stringify({ schema_version: 7 }));
    const ls = evalbench("ls", "--workspace", ws);
    expect(ls.status).toBe(1);
    expect(ls.stderr).toContain("run broken cannot be read");
    expect(ls.stderr).toContain("schema_version 7, newer than this evalbench reads (1)");
    expect(ls.stdout).toContain("demo-mmlu-step10000");
  });

  it("refuses a bad option value with a message saying what is expected", () => {
    const demo = evalbench("demo", "--workspace", ws, "--size", "0");
    expect(demo.status).not.toBe(0);
    expect(demo.stderr).toMatch(/--size.*expected a whole number of at least 1/);
  });
});
