import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { planImport } from "./index";
import { importRunId, slug } from "./run-id";
import { FIXTURES } from "./testing";
import type { ImportedRun, TableMapping } from "./types";

const MAPPING: TableMapping = { id: "qid", score: "pred = gold" };

/** A folder holding `files` (relative path -> text). */
function folder(files: Record<string, string>): string {
  const dir = tempWorkspace();
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const CSV = "qid,pred,gold\nq1,A,A\nq2,B,C\n";

describe("which files an import reads, and as what", () => {
  it("walks folders four levels deep, skipping hidden ones and files no format reads", async () => {
    const dir = folder({ "README.md": "# notes", "a.csv": CSV, "x/b.csv": CSV, ".cache/c.csv": CSV, "1/2/3/4/d.csv": CSV, "1/2/3/4/5/e.csv": CSV });
    const { runs, formats } = await planImport([dir], { table: MAPPING, modelName: "m" });
    expect(formats).toEqual(["table"]);
    expect(runs.map((r) => r.run.source.path)).toEqual(["d.csv", "a.csv", "b.csv"]);
  });

  it("names a path that does not exist, a file it cannot place, and a folder with nothing to import", async () => {
    const dir = folder({ "notes.txt": "hi" });
    await expect(planImport([path.join(dir, "gone.csv")])).rejects.toThrow(/^\/.*\/gone\.csv does not exist$/);
    await expect(planImport([path.join(dir, "notes.txt")])).rejects.toThrow(
      /^cannot tell the format of notes\.txt: it matches none of lm-eval .*; or name it with --format$/,
    );
    await expect(planImport([dir])).rejects.toThrow(/^found nothing to import in .*: no file matches lm-eval \(samples_/);
    await expect(planImport([dir], { format: "evalplus" })).rejects.toThrow(/^found nothing to import in .*: no file matches evalplus$/);
    const other = folder({ "b.txt": "" });
    await expect(planImport([dir, other], { format: "evalplus" })).rejects.toThrow(`found nothing to import in ${dir}, ${other}: no file matches evalplus`);
  });

  it("reads regular files only from a walked folder: a FIFO would block the import, a symlink may point anywhere", async () => {
    const dir = folder({ "a.csv": CSV });
    const elsewhere = folder({ "b.csv": CSV });
    fs.symlinkSync(path.join(elsewhere, "b.csv"), path.join(dir, "link.csv"));
    expect(spawnSync("mkfifo", [path.join(dir, "pipe.csv")]).status).toBe(0);
    const { runs } = await planImport([dir], { table: MAPPING, modelName: "m" });
    expect(runs.map((r) => r.run.source.path)).toEqual(["a.csv"]);
  });

  it("holds a file to the format asked for, and refuses an unknown one", async () => {
    const dir = folder({ "a.csv": CSV });
    await expect(planImport([path.join(dir, "a.csv")], { format: "lm-eval" })).rejects.toThrow(/^a\.csv is not a lm-eval file; see docs\/importing\.md for what each format reads$/);
    await expect(planImport([path.join(dir, "a.csv")], { format: "xls" as never })).rejects.toThrow(/^unknown format xls; use one of lm-eval, inspect, olmo-eval, evalplus, table$/);
    await expect(planImport([path.join(dir, "a.csv")], { format: "table" })).rejects.toThrow(/^a table import needs --id and --score: SQL expressions over the table's columns/);
    // a forced format reads only its own files, with its own matcher
    const zstdLog = path.join(FIXTURES, "inspect", "zstd.eval");
    await expect(planImport([zstdLog], { format: "olmo-eval" })).rejects.toThrow(/^zstd\.eval is not a olmo-eval file/);
    expect((await planImport([zstdLog], { format: "inspect" })).formats).toEqual(["inspect"]);
    const mixed = await planImport([path.join(FIXTURES, "olmo-eval"), zstdLog], { format: "inspect" });
    expect([mixed.formats, mixed.runs.length]).toEqual([["inspect"], 1]);
    // a mapping makes a table of what detection would not place
    expect((await planImport([path.join(dir, "a.csv")], { table: MAPPING, modelName: "m" })).formats).toEqual(["table"]);
  });

  it("reads an olmo-eval metrics file named beside its predictions with them, and detects each format", async () => {
    const olmo = path.join(FIXTURES, "olmo-eval");
    const named = ["task-000-arc_challenge-predictions.jsonl", "task-000-arc_challenge-metrics.json"].map((f) => path.join(olmo, f));
    const { runs, formats } = await planImport(named);
    expect(formats).toEqual(["olmo-eval"]);
    expect(runs).toHaveLength(1);
    const both = await planImport([olmo, path.join(FIXTURES, "inspect", "zstd.eval")]);
    expect(both.formats).toEqual(["inspect", "olmo-eval"]);
  });
});

describe("what flags change in the runs read", () => {
  it("model name, checkpoint, step and task, in the run and every record", async () => {
    const dir = folder({ "a.csv": CSV });
    const { runs } = await planImport([dir], { table: MAPPING, modelName: "Tiny LM", checkpoint: "ck-2", step: 200, task: "arith" });
    expect(runs[0].run.model).toEqual({ name: "Tiny LM", provider: null, checkpoint: "ck-2", step: 200 });
    expect(runs[0].run.task.name).toBe("arith");
    expect(runs[0].records.map((r) => r.task)).toEqual(["arith", "arith"]);
    expect(runs[0].run.run_id).toMatch(/^import-table-tiny-lm-arith-[0-9a-f]{10}$/);
  });

  it("refuses a source with no records, saying when every row was skipped", async () => {
    const empty = folder({ "none.jsonl": "" });
    const bad = folder({ "bad.jsonl": '{"qid": "", "pred": 1, "gold": 1}\n' });
    await expect(planImport([empty], { table: MAPPING, modelName: "m" })).rejects.toThrow(/none\.jsonl/);
    await expect(planImport([bad], { table: MAPPING, modelName: "m", skipBadRows: true })).rejects.toThrow(/^bad\.jsonl: no records to import \(all 1 rows were skipped\)$/);
    const time = "2026-01-02T03-04-05";
    const noDocs = folder({ [`samples_arith_${time}.jsonl`]: "", [`results_${time}.json`]: JSON.stringify({ configs: { arith: { metric_list: [{ metric: "acc" }] } } }) });
    await expect(planImport([noDocs])).rejects.toThrow(new RegExp(`^samples_arith_${time}\\.jsonl, results_${time}\\.json: no records to import$`));
  });

  it("gives the same source the same run id, and another mapping or file another", async () => {
    const dir = folder({ "a.csv": CSV });
    const id = async (mapping: TableMapping, file = path.join(dir, "a.csv")) => (await planImport([file], { table: mapping, modelName: "m" })).runs[0].run.run_id;
    const first = await id(MAPPING);
    expect(await id(MAPPING)).toBe(first);
    expect(await id({ ...MAPPING, score: "pred <> gold" })).not.toBe(first);
    fs.appendFileSync(path.join(dir, "a.csv"), "q3,C,C\n");
    expect(await id(MAPPING)).not.toBe(first);
  });
});

describe("run ids of imports", () => {
  it("slug keeps lower-case letters, digits, . _ and -, without runs of separators at either end", () => {
    expect(slug("Mistral 7B//v0.1!!", 60)).toBe("mistral-7b-v0.1");
    expect(slug("--__a--b__--", 60)).toBe("a-b");
    expect(slug("abc-def", 4)).toBe("abc");
    // cut inside a run of separators: the whole run goes
    expect(slug("ab.-cd", 4)).toBe("ab");
    expect(slug("!!!", 60)).toBe("x");
  });

  it("names the task by its variant when the variant starts with it, else task-variant", () => {
    const run = (name: string, variant: string | null) => ({ run: { model: { name: "m" }, task: { name, variant } }, files: [], records: [], reported: {} }) as unknown as ImportedRun;
    expect(importRunId("lm-eval", run("bbh", "bbh_cot_fewshot_snarks"), null)).toMatch(/^import-lm-eval-m-bbh_cot_fewshot_snarks-[0-9a-f]{10}$/);
    expect(importRunId("olmo-eval", run("arc_challenge", "rc::olmes"), null)).toMatch(/^import-olmo-eval-m-arc_challenge-rc-olmes-[0-9a-f]{10}$/);
    expect(importRunId("table", run("a", null), null)).toMatch(/^import-table-m-a-[0-9a-f]{10}$/);
    expect(importRunId("table", run("a", undefined as unknown as null), null)).toMatch(/^import-table-m-a-[0-9a-f]{10}$/);
    expect(importRunId("table", run("a", null), 1)).not.toBe(importRunId("table", run("a", null), 2));
  });
});
