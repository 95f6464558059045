import fs from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { RunWriter } from "@/lib/workspace/run-writer";
import { RECORDS_FILE, runDir } from "@/lib/workspace/paths";
import { newRun, record, tempWorkspace } from "@/lib/workspace/testing/fixtures";
import type { RunRow } from "@/lib/query/runs";
import { runsPage, runsQueryFrom, seriesLines } from "./runs-query";

/** 250 finished runs of 5 models (steps 0..249), scores spread so every sort has work to do. */
const ws = tempWorkspace();
for (let i = 0; i < 250; i++) {
  const writer = RunWriter.create(ws, newRun({ run_id: `run-${i}`, model: { name: `m${i % 5}`, checkpoint: `step-${i}`, step: i } }));
  for (let q = 0; q < 4; q++) writer.append(record(q, { score: (q * 7 + i) % 3 === 0 ? 1 : 0, scores: { exact_match: (q * 7 + i) % 3 === 0 ? 1 : 0 } }));
  writer.finalize();
}

const page = (query: string) => runsPage(ws, runsQueryFrom(new URLSearchParams(query)));

describe("the runs page's query, on the server over every run", () => {
  it("pages: 100 rows a page, the matched and total counts of every run", async () => {
    const first = await page("");
    expect(first).toMatchObject({ total: 250, matched: 250, offset: 0 });
    expect(first.rows).toHaveLength(100);
    const third = await page("page=3");
    expect(third.offset).toBe(200);
    expect(third.rows).toHaveLength(50);
    expect(new Set([...first.rows, ...(await page("page=2")).rows, ...third.rows].map((r) => r.runId)).size).toBe(250);
  });

  it("sorts numbers by value and text naturally, over all pages, nulls last", async () => {
    const bySteps = (await page("sort=-step&limit=1000")).rows.map((r) => r.step);
    expect(bySteps).toEqual([...bySteps].sort((a, b) => b! - a!));
    expect(bySteps[0]).toBe(249);
    expect((await page("sort=runId&limit=3")).rows.map((r) => r.runId)).toEqual(["run-0", "run-1", "run-2"]);
    const values = (await page("sort=value&limit=1000")).rows.map((r) => r.value!);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    // ties keep the listing's order (newest first), then the next key
    const twoKeys = (await page("sort=model&sort=-step&limit=2")).rows.map((r) => r.runId);
    expect(twoKeys).toEqual(["run-245", "run-240"]);
  });

  it("filters by text and by comparisons, as the table's filter boxes do; a filter that cannot compare is ignored", async () => {
    const filtered = await page("filter.model=m3&filter.step=%3E%3D200");
    expect(filtered.total).toBe(250);
    expect(filtered.matched).toBe(10);
    expect(filtered.rows.every((r) => r.model === "m3" && r.step! >= 200)).toBe(true);
    expect((await page("filter.step=%3E%3Dabc")).matched).toBe(250);
  });

  it("gives each complete run its previous checkpoint, and the model lines with several checkpoints", async () => {
    const { rows, series } = await page("filter.runId=run-10&sort=step");
    expect(rows.find((r) => r.runId === "run-10")?.previous).toBe("run-5");
    expect([...series].sort((a, b) => (a.model < b.model ? -1 : 1))).toEqual([0, 1, 2, 3, 4].map((m) => ({ model: `m${m}`, task: "gsm8k", checkpoints: 50 })));
  });

  it("a run's new state is shown once its entry lands, even when its run.json was listed first (the writer's order): not broken by the old entry's size", async () => {
    const ws2 = tempWorkspace();
    const writer = RunWriter.create(ws2, newRun({ run_id: "r" }));
    writer.append(record(0));
    writer.end("cancelled", "stopped by the test");
    const entries = path.join(ws2, "index", "entries");
    const cancelled = fs.readdirSync(entries).sort().at(-1)!;
    const aside = path.join(ws2, cancelled);
    // run.json already says cancelled; the index still holds the run's running state
    fs.renameSync(path.join(entries, cancelled), aside);
    const between = await runsPage(ws2, runsQueryFrom(new URLSearchParams("")));
    expect(between.rows.map((r) => r.status)).toEqual(["cancelled"]);
    fs.renameSync(aside, path.join(entries, cancelled));
    const after = await runsPage(ws2, runsQueryFrom(new URLSearchParams("")));
    expect(after.rows.map((r) => [r.status, r.problem])).toEqual([["cancelled", null]]);
  });

  it("lists the training runs whose latest checkpoint is newest first, then by name (step 2 before step 10), each model's tasks together", () => {
    const run = (model: string, task: string, step: number, created: string) => ({ runId: `${model}-${task}-${step}`, model, task, step, created }) as RunRow;
    const rows = [
      run("olmo-10", "gsm8k", 1, "2026-12-01T00:00:00Z"),
      run("olmo-10", "gsm8k", 2, "2026-12-01T01:00:00Z"),
      run("olmo-2", "mmlu", 1, "2026-12-01T00:00:00Z"),
      run("olmo-2", "mmlu", 2, "2026-12-01T01:00:00Z"),
      run("olmo-2", "arc", 1, "2026-12-01T00:00:00Z"),
      run("olmo-2", "arc", 2, "2026-12-01T00:30:00Z"),
      run("pythia", "gsm8k", 1, "2026-12-02T00:00:00Z"),
      run("pythia", "gsm8k", 2, "2026-12-03T00:00:00Z"),
      run("single", "gsm8k", 1, "2026-12-04T00:00:00Z"),
    ];
    expect(seriesLines(rows).map((l) => `${l.model}/${l.task}`)).toEqual(["pythia/gsm8k", "olmo-2/arc", "olmo-2/mmlu", "olmo-10/gsm8k"]);
  });

  it("a run on the page that was cut short since it was indexed shows broken, with the reason", async () => {
    const file = path.join(runDir(ws, "run-249"), RECORDS_FILE);
    const bytes = fs.readFileSync(file);
    fs.truncateSync(file, 100);
    try {
      const [row] = (await page("filter.runId=run-249")).rows;
      expect(row.problem).toMatch(/^records\.parquet is 100 bytes but run\.json recorded \d+: the file is truncated or was replaced/);
    } finally {
      fs.writeFileSync(file, bytes);
    }
  });

  it("checks every run in the background, not only the page's: a run removed off the page is listed broken after", async () => {
    const other = tempWorkspace();
    for (const id of ["shown", "removed"]) RunWriter.create(other, newRun({ run_id: id })).finalize();
    fs.rmSync(runDir(other, "removed"), { recursive: true });
    const shown = () => runsPage(other, runsQueryFrom(new URLSearchParams("filter.runId=shown")));
    // the first answer does not wait for the check of every run
    const first = await shown();
    expect(first.checked).toEqual({ at: null, error: null });
    expect(first.broken).toEqual([]);
    await vi.waitFor(async () => expect((await shown()).checked.at).not.toBeNull(), { timeout: 10_000, interval: 50 });
    const later = await shown();
    expect(later.rows.map((r) => [r.runId, r.problem])).toEqual([["shown", null]]);
    expect(later.broken).toEqual([{ runId: "removed", reason: expect.stringMatching(/^the index lists this run but its folder has no run\.json/) }]);
    expect(later.checked.error).toBeNull();
  });

  it("refuses a page that is not a number, saying what to give", () => {
    expect(() => runsQueryFrom(new URLSearchParams("page=two"))).toThrow("page=two is not a whole number; give page as 0, 1, 2, ...");
    expect(runsQueryFrom(new URLSearchParams("limit=5000")).limit).toBe(1000);
  });
});
