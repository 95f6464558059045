import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
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
    expect(demo.stdout).toContain("wrote 48 demo runs");

    const text = evalbench("ls", "--workspace", ws);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/demo-gsm8k-step40000\s+complete\s+gsm8k\s+demo-lm-1b\s+step-40000\s+40000/);

    const json = evalbench("ls", "--workspace", ws, "--json");
    const manifests = JSON.parse(json.stdout);
    expect(manifests).toHaveLength(48);
    expect(manifests[0]).toHaveProperty("schema_version", 1);
  });

  it("reindex finds a run folder made by hand; ls then exits non-zero naming it broken, and still lists the others", () => {
    fs.mkdirSync(runDir(ws, "broken"));
    fs.writeFileSync(path.join(runDir(ws, "broken"), MANIFEST_FILE), JSON.stringify({ schema_version: 7 }));
    // not in the index: no writer recorded it
    expect(evalbench("ls", "--workspace", ws).status).toBe(0);
    const reindex = evalbench("reindex", "--workspace", ws);
    expect(reindex.status).toBe(0);
    expect(reindex.stdout).toMatch(/^broken: run broken cannot be read: .*schema_version 7/m);
    expect(reindex.stdout).toMatch(/^indexed 49 runs in .*, 1 broken \(1 added or repaired: broken\)$/m);
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

describe("evalbench compare", () => {
  const ws = tempWorkspace();
  evalbench("demo", "--workspace", ws, "--size", "300");

  it("prints the comparison as one JSON object with every documented field", () => {
    const out = evalbench("compare", "demo-mmlu-step40000", "demo-mmlu-step10000", "--workspace", ws, "--json", "--bootstrap", "2000");
    expect(out.status).toBe(0);
    const report = JSON.parse(out.stdout);
    expect(report).toMatchObject({ candidate: "demo-mmlu-step40000", baseline: "demo-mmlu-step10000" });
    for (const field of ["n_shared", "n_only_candidate", "n_only_baseline", "n_mismatched", "mean_candidate", "mean_baseline", "delta", "se_paired", "ci_analytic", "ci_bootstrap", "p_value", "mcnemar", "mde", "r", "per_task"]) {
      expect(report).toHaveProperty(field);
    }
    expect(report.n_shared + report.n_unscored).toBe(300);
    expect(report.delta).toBeCloseTo(report.mean_candidate - report.mean_baseline, 12);
    expect(report.pairing).toEqual({ across_tasks: null, nothing_pairs: null });
    expect(report.per_task.map((r: { subtask: string | null }) => r.subtask)).toContain("anatomy");
    expect(report.settings).toEqual({ seed: 2024, B: 2000, alpha: 0.05 });
  });

  it("--fail-if-worse exits 1 only when the candidate is significantly worse", () => {
    const worse = evalbench("compare", "demo-gsm8k-step10000", "demo-gsm8k-step40000", "--workspace", ws, "--fail-if-worse", "--bootstrap", "1000");
    expect(worse.stdout).toMatch(/^candidate is worse by \d+\.\d points, 95% CI \[-\d+\.\d, -\d+\.\d\]\n\ncandidate: demo-lm-1b step-10000 gsm8k\nbaseline:  demo-lm-1b step-40000 gsm8k\n/);
    expect(worse.stdout).toMatch(/\n95% CI: bootstrap \(BCa\) \[-\d+\.\d\d, -\d+\.\d\d\]  analytic \[/);
    expect(worse.stdout).toContain("1000 bootstrap resamples");
    expect(worse.stdout).not.toMatch(/\bA\b|\bB\b/);
    expect(worse.status).toBe(1);
    const better = evalbench("compare", "demo-gsm8k-step40000", "demo-gsm8k-step10000", "--workspace", ws, "--fail-if-worse", "--bootstrap", "1000");
    expect(better.status).toBe(0);
  });

  it("compares another metric, scoped to a task", () => {
    const out = evalbench("compare", "demo-squad-step40000", "demo-squad-step30000", "--workspace", ws, "--metric", "f1", "--json", "--bootstrap", "1000");
    const report = JSON.parse(out.stdout);
    expect(report.metric).toBe("f1");
    expect(report.mcnemar).toBeNull(); // f1 is not 0/1
    expect(report.ci_bootstrap.level).toBe("cluster");
  });

  it("names what is wrong with the request", () => {
    expect(evalbench("compare", "demo-gsm8k-step10000", "demo-gsm8k-step10000", "--workspace", ws).stderr).toMatch(/same run/);
    const unknown = evalbench("compare", "demo-gsm8k-step1", "demo-gsm8k-step10000", "--workspace", ws);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/no run demo-gsm8k-step1 in .*did you mean .*demo-gsm8k-step10000/);
    expect(evalbench("compare", "demo-gsm8k-step10000", "demo-mmlu-step10000", "--workspace", ws, "--metric", "bleu").stderr).toMatch(/has no metric bleu; it has exact_match/);
  });

  it("shows no number for runs of different tasks, and says why and what to do", () => {
    const out = evalbench("compare", "demo-gsm8k-step40000", "demo-mmlu-step40000", "--workspace", ws, "--json", "--bootstrap", "500");
    const report = JSON.parse(out.stdout);
    expect(report.n_shared).toBe(0);
    expect(report.unpaired).toBeNull();
    expect(report.pairing.nothing_pairs.reason).toBe("different_tasks");
    const text = evalbench("compare", "demo-gsm8k-step40000", "demo-mmlu-step40000", "--workspace", ws, "--bootstrap", "500");
    expect(text.stdout.split("\n")[0]).toBe("nothing to compare: the runs hold different tasks (candidate: gsm8k; baseline: mmlu) and no question id in common: pick two runs of the same task");
  });

  it("pairs two table imports of one benchmark across their file-name task names, and says so", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "evalbench-pro-"));
    const table = (correct: (i: number) => boolean) => ["question_id,question,pred,answer", ...Array.from({ length: 60 }, (_, i) => `${i},What is ${i}?,${correct(i) ? "A" : "B"},A`)].join("\n");
    fs.writeFileSync(path.join(dir, "mmlu_pro_step2.csv"), table((i) => i % 3 !== 0));
    fs.writeFileSync(path.join(dir, "mmlu_pro_step1.csv"), table((i) => i % 2 === 0));
    for (const [file, step] of [["mmlu_pro_step2.csv", "2"], ["mmlu_pro_step1.csv", "1"]]) {
      const imported = evalbench("import", path.join(dir, file), "--workspace", ws, "--id", "question_id", "--score", "pred = answer", "--prompt", "question", "--model-name", "pro", "--step", step, "--json");
      expect(imported.status, imported.stderr).toBe(0);
    }
    const ids = (JSON.parse(evalbench("ls", "--workspace", ws, "--json").stdout) as { run_id: string; task: { name: string } }[]).filter((m) => m.task.name.startsWith("mmlu_pro"));
    const id = (task: string) => ids.find((m) => m.task.name === task)!.run_id;
    const out = evalbench("compare", id("mmlu_pro_step2"), id("mmlu_pro_step1"), "--workspace", ws, "--json", "--bootstrap", "500");
    const report = JSON.parse(out.stdout);
    expect(report.n_shared).toBe(60);
    expect(report.pairing.across_tasks).toEqual({ candidate_task: "mmlu_pro_step2", baseline_task: "mmlu_pro_step1" });
    const text = evalbench("compare", id("mmlu_pro_step2"), id("mmlu_pro_step1"), "--workspace", ws, "--bootstrap", "500");
    expect(text.stdout).toContain("paired across task names: the candidate's mmlu_pro_step2 with the baseline's mmlu_pro_step1, by question id");
  });
});

describe("evalbench series", () => {
  const ws = tempWorkspace();
  evalbench("demo", "--workspace", ws, "--size", "40");

  it("follows two training runs on a task: points, flips and differences against the first line", () => {
    const out = evalbench("series", "--workspace", ws, "--model", "demo-lm-1b", "--model", "demo-lm-1b-newmix", "--task", "gsm8k", "--json");
    expect(out.status).toBe(0);
    const report = JSON.parse(out.stdout);
    expect(report.lines.map((l: { model: string; points: unknown[] }) => [l.model, l.points.length])).toEqual([["demo-lm-1b", 8], ["demo-lm-1b-newmix", 8]]);
    expect(report.flips).toHaveLength(14);
    expect(report.differences.map((d: { step: number }) => d.step)).toEqual([5000, 10000, 15000, 20000, 25000, 30000, 35000, 40000]);
    expect(report.per_task[1]).toMatchObject({ task: "gsm8k", model: "demo-lm-1b-newmix", change_last_k: { from_run_id: "demo-newmix-gsm8k-step20000" } });
    const markdown = evalbench("series", "--workspace", ws, "--model", "demo-lm-1b", "--task", "gsm8k", "--markdown");
    expect(markdown.stdout).toMatch(/^\*\*Training-run series: gsm8k\*\*/);
  });

  it("says what is wrong with a request", () => {
    expect(evalbench("series", "--workspace", ws, "--model", "demo-lm-1b", "--task", "gsm8k", "--k", "1").stderr).toMatch(/--k.*at least 2/);
    expect(evalbench("series", "--workspace", ws, "--model", "gpt", "--task", "gsm8k").stderr).toMatch(/no run of gpt on task gsm8k; model lines with runs: demo-lm-1b, demo-lm-1b-newmix/);
  });
});

describe("terminal output carries no control sequences from names, files or errors", () => {
  const ws = tempWorkspace();
  evalbench("demo", "--workspace", ws, "--size", "40");
  // a title change, a screen clear, a one-byte CSI and a carriage return that would hide what came before
  const hostile = "m\x1b]0;pwned\x07\x1b[2J\x9b31m\rx";
  const manifestFile = path.join(runDir(ws, "demo-gsm8k-step40000"), MANIFEST_FILE);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
  fs.writeFileSync(manifestFile, JSON.stringify({ ...manifest, model: { ...manifest.model, name: hostile } }));
  // a run.json edited by hand reaches the index through reindex
  evalbench("reindex", "--workspace", ws);
  const junk = path.join(tempWorkspace(), `notes${hostile}.txt`);
  fs.writeFileSync(junk, "hello");

  it("ls, compare, import and their errors show each control character as its \\u escape", () => {
    const json = evalbench("ls", "--workspace", ws, "--json");
    expect(json.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    // JSON's own escapes and the \u009b put in for the C1 byte read back as the name
    expect(JSON.parse(json.stdout).map((m: { model: { name: string } }) => m.model.name)).toContain(hostile);
    const outputs = [
      evalbench("ls", "--workspace", ws),
      evalbench("compare", "demo-gsm8k-step40000", "demo-gsm8k-step10000", "--workspace", ws, "--bootstrap", "200"),
      evalbench("import", junk, "--workspace", ws),
      evalbench("compare", `nope${hostile}`, "demo-gsm8k-step10000", "--workspace", ws),
    ];
    for (const [i, out] of outputs.entries()) {
      expect(`${out.stdout}${out.stderr}`, `output ${i}`).toMatch(/m\\u001b\]0;pwned\\u0007\\u001b\[2J\\u009b31m\\u000dx/);
      expect(`${out.stdout}${out.stderr}`, `output ${i}`).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    }
    // Markdown turns them into spaces (a label is one line of text there)
    const markdown = evalbench("compare", "demo-gsm8k-step40000", "demo-gsm8k-step10000", "--workspace", ws, "--bootstrap", "200", "--markdown");
    expect(markdown.stdout).toContain("m ]0;pwned  [2J 31m x");
    expect(markdown.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  });
});
