import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { RunWriter } from "@/lib/workspace/run-writer";
import { newRun, record, tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { publishComparison, publishSetting } from "./publish";

async function workspaceWithTwoRuns(): Promise<string> {
  const ws = tempWorkspace();
  for (const runId of ["cand", "base"]) {
    const writer = RunWriter.create(ws, newRun({ run_id: runId }));
    for (let i = 0; i < 4; i++) writer.append(record(i, { score: i % 2 }));
    await writer.finalize();
  }
  return ws;
}

describe("publishing from the app (evalbench publish as a child process)", () => {
  it("is set by EVALBENCH_PUBLISH and EVALBENCH_PUBLISH_BASE_URL", () => {
    const saved = { ...process.env };
    try {
      delete process.env.EVALBENCH_PUBLISH;
      expect(publishSetting()).toBeNull();
      process.env.EVALBENCH_PUBLISH = "/srv/site";
      process.env.EVALBENCH_PUBLISH_BASE_URL = "";
      expect(publishSetting()).toEqual({ to: "/srv/site", baseUrl: null });
      process.env.EVALBENCH_PUBLISH_BASE_URL = "https://lab.example/r";
      expect(publishSetting()).toEqual({ to: "/srv/site", baseUrl: "https://lab.example/r" });
    } finally {
      process.env = saved;
    }
  });

  it("to a folder, needs the address it is served at", async () => {
    await expect(publishComparison(tempWorkspace(), { to: "/srv/site", baseUrl: null }, "cand", "base")).rejects.toThrow(
      /^EVALBENCH_PUBLISH is the folder \/srv\/site: set EVALBENCH_PUBLISH_BASE_URL to the address it is served at/,
    );
  });

  it("writes each publish into a new subfolder and answers its address", async () => {
    const ws = await workspaceWithTwoRuns();
    const site = path.join(ws, "site");
    const address = await publishComparison(ws, { to: site, baseUrl: "https://lab.example/r//" }, "cand", "base");
    const name = /^https:\/\/lab\.example\/r\/(cand-vs-base-[0-9a-z]+)\/$/.exec(address)?.[1];
    expect(name, address).toBeDefined();
    expect(fs.readdirSync(site)).toEqual([name]);
    const index = JSON.parse(fs.readFileSync(path.join(site, name!, "index.json"), "utf8"));
    expect(index.compare).toEqual({ a: "cand", b: "base" });
  }, 120_000);

  it("a failed publish says why in the CLI's words, without its prefix", async () => {
    const ws = await workspaceWithTwoRuns();
    await expect(publishComparison(ws, { to: path.join(ws, "site"), baseUrl: "https://lab.example/r" }, "cand", "gone")).rejects.toThrow(/^publishing failed: no run gone in \/.*; `evalbench ls` lists the runs$/);
  }, 120_000);
});
