import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { listRuns } from "@/lib/catalog/list";
import { runRecords } from "./records-source";
import { RunWriter } from "./run-writer";
import { tempWorkspace } from "./testing/fixtures";
import { parquetMetadata } from "hyparquet";

const child = path.join(import.meta.dirname, "testing", "write-until-killed.ts");

/** Starts a writer process, kills it with SIGKILL after `ms`, returns the last total it reported flushed. */
function writeThenKill(workspace: string, runId: string, ms: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--import", "tsx", child, workspace, runId], { stdio: ["ignore", "pipe", "pipe"] });
    let flushed = 0;
    let stderr = "";
    proc.stdout.on("data", (chunk: Buffer) => {
      const lines = chunk.toString().trim().split("\n");
      flushed = Number(lines[lines.length - 1]);
    });
    proc.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    let started = false;
    proc.stdout.once("data", () => {
      started = true;
      setTimeout(() => proc.kill("SIGKILL"), ms);
    });
    proc.on("exit", (_code, signal) => (started && signal === "SIGKILL" ? resolve(flushed) : reject(new Error(`writer exited early: ${stderr}`))));
  });
}

describe("kill -9 while writing", () => {
  it("loses at most the unflushed batch and leaves the run readable as interrupted", async () => {
    const ws = tempWorkspace();
    for (const [n, ms] of [[1, 5], [2, 120], [3, 400]] as const) {
      const runId = `killed-${n}`;
      const flushed = await writeThenKill(ws, runId, ms);
      const entry = (await listRuns(ws)).find((e) => e.run_id === runId);
      expect(entry?.ok && entry.status).toBe("interrupted");

      const body = runRecords(ws, runId);
      expect("bytes" in body).toBe(true);
      const rows = Number(parquetMetadata(("bytes" in body ? body.bytes : new Uint8Array()).buffer).num_rows);
      // Everything reported flushed is there; of the batch being written when the kill came, only
      // whole lines (a kill can cut a 60 KB write part way, and the cut line is skipped)
      expect(rows).toBeGreaterThanOrEqual(flushed);
      expect(rows - flushed).toBeLessThanOrEqual(50);

      const resumed = RunWriter.resume(ws, runId);
      expect(resumed.recorded.size).toBe(rows);
      expect(resumed.finalize().records?.rows).toBe(rows);
    }
  });
});
