import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { runsRoot } from "@/lib/workspace/paths";
import { importPaths, planImport } from "./index";
import { shared } from "./testing";

// A whole real Inspect log: left out of mutation runs (vitest.mutation-folder.config.ts), where
// inspect.test.ts's hand-made logs cover the same code.
const MMLU_LOG = shared("inspect-mmlu-dev-gpt-4-0613", "2025-07-30T18-42-38+00-00_mmlu_ZYEnfbu3nstBuwzjiAGzuG.eval");

describe("Inspect import of the MMLU dev log (deflate entries)", () => {
  const ws = tempWorkspace();
  const imported = importPaths(ws, [MMLU_LOG]);

  it("makes one run of 285 samples whose accuracy and stderr equal the log's (223 C / 62 I)", async () => {
    const { created, reported } = await imported;
    expect(created).toHaveLength(1);
    const [m] = created;
    expect(m.counts.done).toBe(285);
    expect(m.primary_metric).toBe("choice");
    expect(m.metrics.choice.value).toBeCloseTo(223 / 285, 12);
    expect(m.metrics.choice.value).toBeCloseTo(reported[m.run_id].choice, 12);
    expect(m.metrics.choice.se).toBeCloseTo(0.024481850763866792, 12);
    expect(m.model).toMatchObject({ name: "gpt-4", provider: "openai" });
    expect(m.task.name).toBe("mmlu");
    expect(m.source.tool).toBe("inspect_ai 0.3.116");
  });

  it("keeps the transcript, usage and subject, with attachment:// references resolved", async () => {
    const { runs } = await planImport([MMLU_LOG]);
    const records = runs[0].records;
    const first = records.find((r) => r.instance_id === "1")!;
    expect(first).toMatchObject({ subtask: "high_school_physics", target: "D", extracted: "D", score: 1, input_tokens: 142, output_tokens: 4, sample: 0 });
    expect(first.response).toBe("ANSWER: D");
    expect(first.transcript).toHaveLength(2);
    expect(JSON.stringify(records)).not.toContain("attachment://");
    expect(new Set(records.map((r) => r.subtask)).size).toBe(57);
  });

  it("fails on a truncated archive, naming the file, and writes nothing", async () => {
    const dir = tempWorkspace();
    const cut = path.join(dir, "cut.eval");
    const bytes = fs.readFileSync(MMLU_LOG);
    fs.writeFileSync(cut, bytes.subarray(0, bytes.length >> 1));
    const ws2 = tempWorkspace();
    await expect(importPaths(ws2, [cut])).rejects.toThrow(/cut\.eval cannot be opened as a ZIP archive.*truncated/);
    expect(fs.existsSync(runsRoot(ws2)) ? fs.readdirSync(runsRoot(ws2)) : []).toEqual([]);
  });
});
