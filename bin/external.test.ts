import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { bwrapOrSkip } from "@/lib/sandbox/testing";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";

const bin = path.join(import.meta.dirname, "evalbench.mjs");
const evalbench = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: tempWorkspace() });

/** A benchmark folder: its script scores 6 questions (q0..q5, every other one right) and writes a table. */
function benchmark(definition: Record<string, unknown>): string {
  const dir = tempWorkspace();
  fs.writeFileSync(
    path.join(dir, "score.py"),
    `import json, os, sys
out, endpoint = sys.argv[1], sys.argv[2]
rows = [{"qid": f"q{i}", "ok": i % 2 == 0, "answer": f"{endpoint} {os.getcwd()}"} for i in range(6)]
json.dump({"rows": rows}, open(os.path.join(out, "scores.json"), "w"))
print("scored", len(rows))
`,
  );
  const file = path.join(dir, "bench.json");
  fs.writeFileSync(file, JSON.stringify({ command: ["python3", "score.py", "{output}", "{endpoint}"], format: "table", task: "my_bench", table: { id: "qid", score: "ok", response: "answer", rows: "rows" }, ...definition }));
  return file;
}

// Each test starts the CLI three times; on a loaded machine one start can take ten seconds.
const SPAWNS = { timeout: 90_000 };

describe("evalbench external", SPAWNS, () => {
  it("runs the definition's command in its folder and writes a run that ls lists beside native runs", () => {
    const ws = tempWorkspace();
    const file = benchmark({});
    const out = evalbench("external", file, "--var", "endpoint=http://127.0.0.1:8000/v1", "--model-name", "olmo-1b", "--checkpoint", "step-100", "--step", "100", "-w", ws, "--json");
    expect(out.stderr).toBe("");
    expect(out.status).toBe(0);
    const { created } = JSON.parse(out.stdout);
    expect(created).toHaveLength(1);
    const [run] = JSON.parse(evalbench("ls", "-w", ws, "--json").stdout);
    expect(run).toMatchObject({ run_id: created[0], status: "complete", task: { name: "my_bench" }, model: { name: "olmo-1b", checkpoint: "step-100", step: 100 }, counts: { done: 6 } });
    expect(run.metrics[run.primary_metric].value).toBe(0.5);
    const again = evalbench("external", file, "--var", "endpoint=http://127.0.0.1:8000/v1", "--model-name", "olmo-1b", "--checkpoint", "step-100", "--step", "100", "-w", ws);
    expect(again.stdout).toMatch(/already imported, left as it is: /);
  });

  it("a bad definition exits 1 with one line saying what is wrong", () => {
    const ws = tempWorkspace();
    const missing = evalbench("external", path.join(ws, "nope.json"), "-w", ws);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^evalbench: cannot read the ExternalEval definition .*nope\.json: ENOENT/);
    const bad = evalbench("external", benchmark({ format: "csv", sandbox: { network: "wifi" } }), "-w", ws);
    expect(bad.stderr).toMatch(/the ExternalEval definition .*bench\.json is not valid: format: .*; sandbox.network: /);
    expect(evalbench("external", benchmark({}), "--var", "endpoint", "-w", ws).stderr).toMatch(/expected NAME=VALUE/);
  });

  it("a failing command exits 1 with the end of its output; nothing is written", () => {
    const ws = tempWorkspace();
    const failing = evalbench("external", benchmark({ command: ["python3", "-c", "raise SystemExit('no such task: gsm9k')"] }), "-w", ws);
    expect(failing.status).toBe(1);
    expect(failing.stderr).toMatch(/failed \(exit 1\); nothing was imported. Its output ends:\nno such task: gsm9k/);
    expect(fs.existsSync(path.join(ws, "runs"))).toBe(false);
  });
});

const { skip } = await bwrapOrSkip();

describe.skipIf(skip !== null)("evalbench external with a sandbox", SPAWNS, () => {
  it("runs the command in the bubblewrap sandbox over a copy of the definition's folder", () => {
    const ws = tempWorkspace();
    const out = evalbench("external", benchmark({ sandbox: { executors: ["bwrap"], python: true } }), "--var", "endpoint=E", "--model-name", "m", "-w", ws);
    expect(out.stderr).toBe("");
    expect(out.stdout).toMatch(/imported 1 run/);
    const [run] = JSON.parse(evalbench("ls", "-w", ws, "--json").stdout);
    expect(run.counts.done).toBe(6);
    const records = fs.readFileSync(path.join(ws, "runs", run.run_id, "records.ndjson"), "utf8");
    expect(records).toContain('"response":"E /work"');
  });
});
