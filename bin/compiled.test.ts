import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, describe, expect, it } from "vitest";
import { compareReport } from "@/lib/compare/report";
import { DEFAULT_SETTINGS } from "@/lib/compare/settings";
import { alignSql, type AlignedRow } from "@/lib/compare/sql";
import { RECORDS_FILE, runDir } from "@/lib/workspace/paths";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";

// The CLI as compiled by bin/build.mjs, in a copy of the sources (so that editing one here leaves
// the repository, and the other tests' build, alone), with this repository's node_modules.
const repo = path.resolve(import.meta.dirname, "..");
const copy = tempWorkspace();
for (const entry of ["bin", "lib", "tsconfig.json", "package.json"]) fs.cpSync(path.join(repo, entry), path.join(copy, entry), { recursive: true });
fs.symlinkSync(path.join(repo, "node_modules"), path.join(copy, "node_modules"));
const evalbench = (...args: string[]) => spawnSync(process.execPath, [path.join(copy, "bin", "evalbench.mjs"), ...args], { encoding: "utf8", cwd: tempWorkspace() });
const COMPILED = /^evalbench: note: compiled the CLI from its changed sources in [\d.]+ s\n$/;

/** Packages the entry of the current build loads before any verb runs: its static imports, chunk by chunk. */
function packagesLoadedAtStart(): string[] {
  const out = path.join(copy, "dist", "cli");
  const dir = path.join(out, JSON.parse(fs.readFileSync(path.join(out, "build.json"), "utf8")).build);
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, specifier] of fs.readFileSync(path.join(dir, file), "utf8").matchAll(/^(?:import|export)\b[^;"]*?"([^"]+)";?$/gm)) {
      if (specifier.startsWith("./")) visit(specifier.slice(2));
      else if (!specifier.startsWith("node:")) packages.add(specifier);
    }
  };
  visit("cli.js");
  return [...packages];
}

/** `compare --json` as DuckDB lined the runs up before the CLI did it with alignColumns: alignSql over records.parquet. */
async function duckdbCompare(workspace: string, a: string, b: string, B: number) {
  const db = await DuckDBInstance.create(":memory:");
  const conn = await db.connect();
  try {
    for (const [table, run] of [["run_a", a], ["run_b", b]]) {
      await conn.run(`CREATE TABLE ${table} AS SELECT * FROM read_parquet('${path.join(runDir(workspace, run), RECORDS_FILE)}')`);
    }
    const rows = (await conn.runAndReadAll(alignSql())).getRowObjectsJS().map((row) => ({ ...row, sample: Number(row.sample) }) as unknown as AlignedRow);
    const report = compareReport(rows, { task: null, subtask: null }, { ...DEFAULT_SETTINGS, B });
    return JSON.parse(JSON.stringify({ candidate: a, baseline: b, metric: "exact_match", ...report }));
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

describe("the compiled CLI", () => {
  const ws = tempWorkspace();
  // the copy holds a few megabytes of sources and builds (its node_modules is a link, left alone)
  afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

  it("compiles itself on first use, then starts without compiling, and loads no package but commander for --help", () => {
    const first = evalbench("--help");
    expect(first.stderr).toMatch(COMPILED);
    expect(first.stdout).toMatch(/compare \[options\] <candidate> <baseline>\s+compare a candidate run against a baseline run/);
    const second = evalbench("--help");
    expect(second.status).toBe(0);
    expect(second.stderr).toBe("");
    expect(second.stdout).toBe(first.stdout);
    expect(packagesLoadedAtStart()).toEqual(["commander"]);
  });

  it("compiles again when a source changed, and runs the changed code", () => {
    const ls = path.join(copy, "bin", "commands", "ls.ts");
    fs.writeFileSync(ls, fs.readFileSync(ls, "utf8").replace('"list the runs in a workspace"', '"list the runs, as edited"'));
    const help = evalbench("--help");
    expect(help.stderr).toMatch(COMPILED);
    expect(help.stdout).toMatch(/ls \[options\]\s+list the runs, as edited/);
  });

  it("writes demo runs (Parquet on the encoder thread), lists them, and compares two as DuckDB's alignment does", async () => {
    expect(evalbench("demo", "-w", ws, "--size", "200").stdout).toContain("wrote 48 demo runs");
    const ls = evalbench("ls", "-w", ws);
    expect(ls.status).toBe(0);
    expect(ls.stdout.trim().split("\n")).toHaveLength(49);
    expect(ls.stdout).toMatch(/demo-mmlu-step40000\s+complete\s+mmlu\s+demo-lm-1b\s+step-40000\s+40000\s+\d+\s+exact_match 0\.\d{3} ± 0\.\d{3} \(1 SE(, n = \d+)?\)/);
    const compare = evalbench("compare", "demo-mmlu-step40000", "demo-mmlu-step10000", "-w", ws, "--json", "--bootstrap", "2000");
    expect(compare.status).toBe(0);
    expect(JSON.parse(compare.stdout)).toEqual(await duckdbCompare(ws, "demo-mmlu-step40000", "demo-mmlu-step10000", 2000));
  });
});
