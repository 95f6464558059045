import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { patternRegex, statePath, stepOf, watchOnce, type WatchEntry } from "./watch";

describe("the checkpoint watcher", () => {
  it("reads the step where the pattern says, else from the name's last number", () => {
    expect(stepOf("step1000", "step*")).toBe(1000);
    expect(stepOf("ckpt-7-step300", "ckpt-{step}-*")).toBe(7);
    expect(stepOf("olmo_2b_s4000", "*")).toBe(4000);
    expect(patternRegex("step*").test("step10")).toBe(true);
    expect(patternRegex("step*").test("xstep10")).toBe(false);
    expect(patternRegex("v1.{step}").test("v1x5")).toBe(false);
    expect(() => stepOf("final", "*")).toThrow("cannot read a step from the folder name final (pattern *); put {step} where the step is");
  });

  it("without a ready file, hands a folder over once its listing stayed the same for a scan, and only once", async () => {
    const ws = tempWorkspace();
    const dir = path.join(ws, "ckpts");
    fs.mkdirSync(path.join(dir, "step5"), { recursive: true });
    const options = { dir, pattern: "step*", readyFile: null, workspace: ws };
    const file = statePath(ws, dir, "step*");
    const handed: string[] = [];
    const events = {
      evaluate: async (points: { checkpoint: string | null }[], entries: WatchEntry[], save: () => void) => {
        handed.push(...points.map((p) => p.checkpoint as string));
        for (const e of entries) e.status = "submitted";
        save();
      },
      say: () => {},
    };
    const seen = new Map<string, string>();
    expect(await watchOnce(options, file, seen, events)).toBe(0);
    fs.writeFileSync(path.join(dir, "step5", "weights"), "more");
    expect(await watchOnce(options, file, seen, events), "still being written").toBe(0);
    expect(await watchOnce(options, file, seen, events)).toBe(1);
    // a restarted watcher: new memory, same state file
    const again = new Map<string, string>();
    expect(await watchOnce(options, file, again, events)).toBe(0);
    expect(await watchOnce(options, file, again, events)).toBe(0);
    expect(handed).toEqual([path.join(dir, "step5")]);
    expect(JSON.parse(fs.readFileSync(file, "utf8")).checkpoints[path.join(dir, "step5")]).toMatchObject({ step: 5, status: "submitted" });
  });
});
