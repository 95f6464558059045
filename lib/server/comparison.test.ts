import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { encodeView } from "@/lib/share/view-state";
import { RunWriter } from "@/lib/workspace/run-writer";
import { RECORDS_FILE, runDir } from "@/lib/workspace/paths";
import { newRun, record, tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { resolveComparison } from "./comparison";

async function workspaceWithRuns(...ids: string[]): Promise<string> {
  const ws = tempWorkspace();
  for (const runId of ids) {
    const writer = RunWriter.create(ws, newRun({ run_id: runId }));
    for (let i = 0; i < 4; i++) writer.append(record(i, { score: i % 2 }));
    await writer.finalize();
  }
  return ws;
}

const link = (a: string, b: string) => new URLSearchParams(encodeView({ a, b }));

describe("a compare link resolved against the server's workspace", () => {
  it("reads both runs, each pinned by its records' sha256 prefix", async () => {
    const ws = await workspaceWithRuns("cand", "base");
    const request = await resolveComparison(ws, link("cand", "base"));
    if (!request.ok) throw new Error(request.message);
    expect([request.a.manifest.run_id, request.b.manifest.run_id]).toEqual(["cand", "base"]);
    expect(request.a.status).toBe("complete");
    expect(request.a.pin).toBe(request.a.manifest.records!.sha256.slice(0, 12));
    expect(request.b.pin).toBe(request.b.manifest.records!.sha256.slice(0, 12));
  });

  it("names a run that is not there by its role, and reveals nothing for an id that is no run id", async () => {
    const ws = await workspaceWithRuns("cand");
    // a folder beside runs/ that a path-like id could reach
    fs.mkdirSync(path.join(ws, "secret"));
    expect(await resolveComparison(ws, link("cand", "gone"))).toEqual({
      ok: false,
      message: 'There is no run "gone" (the baseline) in this workspace. It may have been deleted, or the link was made on another workspace; pick two runs on the runs page.',
    });
    expect(await resolveComparison(ws, link("../secret", "cand"))).toEqual({ ok: false, message: expect.stringMatching(/^There is no run "\.\.\/secret" \(the candidate\) in this workspace\./) });
  });

  it("says why a run cannot be read: its records changed since they were written, even at the same size", async () => {
    const ws = await workspaceWithRuns("cand", "base");
    fs.appendFileSync(path.join(runDir(ws, "base"), RECORDS_FILE), "x");
    const request = await resolveComparison(ws, link("cand", "base"));
    expect(request).toEqual({ ok: false, message: expect.stringMatching(/^The baseline run \(base\) cannot be read: .*records\.parquet/) });
    // one byte changed in place: only the hash tells
    const ws2 = await workspaceWithRuns("cand", "base");
    const file = path.join(runDir(ws2, "cand"), RECORDS_FILE);
    const bytes = fs.readFileSync(file);
    bytes[100] ^= 0xff;
    fs.writeFileSync(file, bytes);
    expect(await resolveComparison(ws2, link("cand", "base"))).toEqual({ ok: false, message: expect.stringMatching(/^The candidate run \(cand\) cannot be read: .*records\.parquet/) });
  });

  it("a run still being written has no pin yet, and is compared as far as it has got", async () => {
    const ws = await workspaceWithRuns("base");
    const writer = RunWriter.create(ws, newRun({ run_id: "live" }));
    writer.append(record(0, { score: 1 }));
    const request = await resolveComparison(ws, link("live", "base"));
    if (!request.ok) throw new Error(request.message);
    expect(request.a.pin).toBeNull();
    expect(request.notes).toEqual([expect.stringMatching(/^Run live is running: comparing the/)]);
    writer.end("interrupted", "test over");
  });

  it("a link that does not decode gets the link's own message, without reading the workspace", async () => {
    const request = await resolveComparison(path.join(tempWorkspace(), "none"), new URLSearchParams("v=99&candidate=a&baseline=b"));
    expect(request).toEqual({ ok: false, message: expect.stringMatching(/^this link uses encoding version 99/) });
  });
});
