import fs from "node:fs";
import path from "node:path";
import { parquetReadObjects } from "hyparquet";
import { describe, expect, it } from "vitest";
import { listRuns } from "@/lib/catalog/list";
import { RECORDS_FILE, runDir } from "@/lib/workspace/paths";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { writeDemoWorkspace } from ".";
import { DEMO_RUN_COUNT } from "./size";

async function records(ws: string, runId: string) {
  const bytes = fs.readFileSync(path.join(runDir(ws, runId), RECORDS_FILE));
  return parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
}

const trueAccuracy = (notes: string | null) => Number(/True accuracy .*: ([\d.]+)%/.exec(notes ?? "")?.[1]);

const ws = tempWorkspace();
const result = await writeDemoWorkspace(ws, { size: 400 });
const entries = await listRuns(ws);
const byId = (rows: Awaited<ReturnType<typeof records>>) => [...rows].sort((a, b) => (String(a.instance_id) < String(b.instance_id) ? -1 : 1));

describe("writeDemoWorkspace", () => {
  it("writes three tasks at eight checkpoints of two training runs, every run complete and labelled as demo data", () => {
    expect(result.written).toHaveLength(DEMO_RUN_COUNT);
    expect(new Set(entries.map((e) => e.ok && e.manifest.model.name))).toEqual(new Set(["demo-lm-1b", "demo-lm-1b-newmix"]));
    expect(entries.every((e) => e.ok && e.status === "complete")).toBe(true);
    for (const entry of entries) {
      if (!entry.ok) continue;
      expect(entry.manifest.tags).toContain("demo");
      expect(entry.manifest.source.kind).toBe("demo");
      expect(entry.manifest.notes).toMatch(/^DEMO DATA: simulated answers/);
      expect(entry.manifest.counts.done).toBe(400);
    }
  });

  it("states a true accuracy that rises with the training step, and measures close to it", () => {
    const gsm8k = entries.flatMap((e) => (e.ok && e.manifest.task.name === "gsm8k" && e.manifest.model.name === "demo-lm-1b" ? [e.manifest] : []));
    gsm8k.sort((a, b) => (a.model.step ?? 0) - (b.model.step ?? 0));
    const truth = gsm8k.map((m) => trueAccuracy(m.notes));
    expect(truth).toEqual([...truth].sort((a, b) => a - b));
    expect(truth[7] - truth[0]).toBeGreaterThan(5);
    for (const m of gsm8k) {
      const measured = 100 * (m.metrics.exact_match.value ?? NaN);
      // within 4 standard errors of the stated truth
      expect(Math.abs(measured - trueAccuracy(m.notes))).toBeLessThan(4 * 100 * (m.metrics.exact_match.se ?? 0));
    }
  });

  it("pairs questions across checkpoints by id and hash, with clusters, subtasks and a few errors", async () => {
    // Records are written as questions finish (in any order); paired by id they match.
    const early = byId(await records(ws, "demo-squad-step10000"));
    const late = byId(await records(ws, "demo-squad-step40000"));
    expect(early.map((r) => [r.instance_id, r.instance_hash])).toEqual(late.map((r) => [r.instance_id, r.instance_hash]));
    expect(new Set(early.map((r) => r.cluster_id)).size).toBe(100);
    expect(early.find((r) => r.error === null)?.scores).toHaveProperty("f1");

    const mmlu = await records(ws, "demo-mmlu-step10000");
    expect(new Set(mmlu.map((r) => r.subtask)).size).toBe(6);

    const errored = entries.reduce((sum, e) => sum + (e.ok ? e.manifest.counts.errored : 0), 0);
    expect(errored).toBeGreaterThan(0);
    const erroredRecord = [...early, ...late, ...mmlu].find((r) => r.error !== null);
    expect(erroredRecord?.score ?? "unscored").toBe("unscored");
  });

  it("leaves runs already there as they are", async () => {
    expect(await writeDemoWorkspace(ws, { size: 400 })).toEqual({ written: [], skipped: result.written });
  });
});
