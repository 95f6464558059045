import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { shared } from "@/lib/importers/testing";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";

const bin = path.join(import.meta.dirname, "evalbench.mjs");
const evalbench = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: tempWorkspace() });

describe("evalbench import", () => {
  const ws = tempWorkspace();

  it("detects the format, prints the created run ids as JSON, and ls lists them", () => {
    const out = evalbench("import", shared("gsm8k-lmeval-llada-8b-base"), "--workspace", ws, "--json", "--checkpoint", "main");
    expect(out.stderr).toBe("");
    expect(out.status).toBe(0);
    const result = JSON.parse(out.stdout);
    expect(result.created).toHaveLength(3);
    expect(result.created.every((id: string) => id.startsWith("import-lm-eval-gsai-ml-llada-8b-base-gsm8k-"))).toBe(true);
    const ls = JSON.parse(evalbench("ls", "--workspace", ws, "--json").stdout);
    expect(ls.map((m: { run_id: string }) => m.run_id).sort()).toEqual([...result.created].sort());
    expect(ls[0].model.checkpoint).toBe("main");
  });

  it("says the runs exist when the same files are imported again", () => {
    const out = evalbench("import", shared("gsm8k-lmeval-llada-8b-base"), "--workspace", ws, "--checkpoint", "main");
    expect(out.status).toBe(0);
    expect(out.stdout).toContain("imported 0 runs");
    expect(out.stdout.match(/already imported/g)).toHaveLength(3);
  });

  it("maps a table with --id and --score", () => {
    const out = evalbench("import", shared("bbh-code-davinci-002-cot-vs-direct", "code-davinci-002-direct", "object_counting_few_shot_template_0-255000.json"),
      "--workspace", ws, "--model-name", "code-davinci-002", "--task", "bbh_object_counting", "--id", "#row", "--score", "trim(prediction) = target", "--json");
    expect(out.status).toBe(0);
    const [id] = JSON.parse(out.stdout).created;
    const manifest = JSON.parse(fs.readFileSync(path.join(ws, "runs", id, "run.json"), "utf8"));
    expect(manifest.metrics.score.value).toBeCloseTo(0.452, 9);
  });

  it("fails with a clear error when no format matches, and when --format does not fit", () => {
    const dir = tempWorkspace();
    const notes = path.join(dir, "notes.txt");
    fs.writeFileSync(notes, "hello");
    const unknown = evalbench("import", notes, "--workspace", ws);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/cannot tell the format of notes\.txt: it matches none of lm-eval .*--format/);
    const wrong = evalbench("import", shared("inspect-mmlu-dev-gpt-4-0613"), "--format", "evalplus", "--workspace", ws);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/found nothing to import/);
    const bad = evalbench("import", notes, "--format", "csv", "--workspace", ws);
    expect(bad.stderr).toMatch(/--format.*expected one of lm-eval, inspect, olmo-eval, evalplus, table/);
  });
});
