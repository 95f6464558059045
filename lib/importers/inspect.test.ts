import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { runsRoot } from "@/lib/workspace/paths";
import { importPaths, planImport } from "./index";
import { FIXTURES } from "./testing";

const fixture = (name: string) => path.join(FIXTURES, "inspect", name);

describe("Inspect import of zstd-compressed logs (fixtures)", () => {
  it("reads zstd entries; epochs become samples; P scores 0.5 and numbers count as they are", async () => {
    const ws = tempWorkspace();
    const { created, reported } = await importPaths(ws, [fixture("zstd.eval")]);
    const [m] = created;
    expect(m.counts.done).toBe(4);
    expect(m.metrics.match.n).toBe(2);
    expect(m.metrics.match.value).toBeCloseTo(0.625, 12);
    expect(reported[m.run_id].match).toBe(0.625);
    expect(m.seed).toBe(7);
    expect(m.task.name).toBe("arith");
    expect(m.model).toMatchObject({ name: "tiny-lm", provider: "hf" });
    const { runs } = await planImport([fixture("zstd.eval")]);
    expect(runs[0].records.map((r) => [r.instance_id, r.sample, r.score])).toEqual([["q1", 0, 1], ["q1", 1, 0.5], ["q2", 0, 0], ["q2", 1, 1]]);
    expect(runs[0].records[0].prompt).toBe("What is 2 + 2?");
  });

  it("fails on a truncated archive, naming the file, and writes nothing", async () => {
    const cut = path.join(tempWorkspace(), "cut.eval");
    const bytes = fs.readFileSync(fixture("zstd.eval"));
    fs.writeFileSync(cut, bytes.subarray(0, bytes.length >> 1));
    const ws = tempWorkspace();
    await expect(importPaths(ws, [cut])).rejects.toThrow(/^cut\.eval cannot be opened as a ZIP archive.*truncated/);
    expect(fs.existsSync(runsRoot(ws)) ? fs.readdirSync(runsRoot(ws)) : []).toEqual([]);
  });

  it("names the archive and entry when a zstd entry does not decompress", async () => {
    await expect(planImport([fixture("zstd-corrupt-entry.eval")])).rejects.toThrow(/zstd-corrupt-entry\.eval, entry samples\/q2_epoch_1\.json: cannot be read/);
  });

  it("skips the damaged entry with --skip-bad-rows and reports it", async () => {
    const { runs, skipped } = await planImport([fixture("zstd-corrupt-entry.eval")], { skipBadRows: true });
    expect(runs[0].records).toHaveLength(3);
    expect(skipped).toEqual([expect.objectContaining({ file: "zstd-corrupt-entry.eval", where: "entry samples/q2_epoch_1.json" })]);
  });

  it("refuses a score value Inspect does not convert, naming the entry and the value", async () => {
    await expect(planImport([fixture("unknown-score.eval")])).rejects.toThrow(/unknown-score\.eval, entry samples\/q2_epoch_2\.json, scorer match: score value "maybe"/);
  });
});
