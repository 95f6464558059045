import fs from "node:fs";
import path from "node:path";
import { parquetReadObjects } from "hyparquet";
import { describe, expect, it } from "vitest";
import { listRuns } from "./catalog";
import { readManifest } from "./manifest-file";
import { JOURNAL_FILE, RECORDS_FILE, runDir } from "./paths";
import { RunWriter } from "./run-writer";
import { fileSha256 } from "./sha256";
import { newRun, record, tempWorkspace } from "./testing/fixtures";

async function readParquet(file: string) {
  const bytes = fs.readFileSync(file);
  return parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
}

describe("RunWriter", () => {
  it("journals records in batches and finalizes them into Parquet with metrics", async () => {
    const ws = tempWorkspace();
    const writer = RunWriter.create(ws, newRun({ counts: { planned: 5 } }), { batchSize: 2 });
    for (let i = 0; i < 4; i++) writer.append(record(i));
    writer.append(record(4, { score: null, scores: {}, error: "HTTP 500 after 3 retries" }));
    const manifest = writer.finalize();

    expect(manifest.status).toBe("complete");
    expect(manifest.counts).toEqual({ planned: 5, done: 5, errored: 1 });
    // The errored question is unscored, not wrong: n = 4, mean of 0,1,0,1.
    expect(manifest.metrics.exact_match.n).toBe(4);
    expect(manifest.metrics.exact_match.value).toBe(0.5);
    expect(manifest.metrics.exact_match.se).toBeCloseTo(Math.sqrt(1 / 3) / 2, 12);
    const file = path.join(runDir(ws, manifest.run_id), RECORDS_FILE);
    expect(manifest.records).toEqual({ file: RECORDS_FILE, rows: 5, bytes: fs.statSync(file).size, sha256: fileSha256(file) });

    const rows = await readParquet(file);
    expect(rows.map((r) => r.instance_id)).toEqual(["q00000", "q00001", "q00002", "q00003", "q00004"]);
    expect(rows[4].error).toBe("HTTP 500 after 3 retries");
    expect(rows[4].score).toBeNull();
    expect(rows.every((r) => r.run_id === manifest.run_id)).toBe(true);
    expect(readManifest(runDir(ws, manifest.run_id))).toEqual(manifest);
  });

  it("averages repeated samples of a question before aggregating", () => {
    const ws = tempWorkspace();
    const writer = RunWriter.create(ws, newRun());
    writer.append(record(1, { sample: 0, score: 1 }));
    writer.append(record(1, { sample: 1, score: 0 }));
    writer.append(record(2, { sample: 0, score: 1 }));
    writer.append(record(2, { sample: 1, score: 1 }));
    const { metrics } = writer.finalize();
    expect(metrics.exact_match.n).toBe(2);
    expect(metrics.exact_match.value).toBe(0.75);
  });

  it("refuses a second record for the same question and sample", () => {
    const writer = RunWriter.create(tempWorkspace(), newRun());
    writer.append(record(1));
    expect(() => writer.append(record(1))).toThrow(/already has a record for question q00001 sample 0/);
  });

  it("refuses to overwrite an existing run", () => {
    const ws = tempWorkspace();
    RunWriter.create(ws, newRun()).finalize();
    expect(() => RunWriter.create(ws, newRun())).toThrow(/already exists/);
  });

  it("resumes after a torn last line, keeping every flushed record", () => {
    const ws = tempWorkspace();
    const writer = RunWriter.create(ws, newRun(), { batchSize: 3 });
    for (let i = 0; i < 6; i++) writer.append(record(i));
    const journal = path.join(runDir(ws, writer.runId), JOURNAL_FILE);
    fs.appendFileSync(journal, '{"run_id":"gsm8k-tiny-step100","task":"gs'); // a kill mid-write

    const resumed = RunWriter.resume(ws, writer.runId);
    expect([...resumed.recorded].length).toBe(6);
    resumed.append(record(6));
    const manifest = resumed.finalize();
    expect(manifest.records?.rows).toBe(7);
    expect(manifest.counts.done).toBe(7);
  });

  it("ends a run as failed with its reason, keeping what was recorded", () => {
    const ws = tempWorkspace();
    const writer = RunWriter.create(ws, newRun());
    writer.append(record(1));
    writer.end("failed", "endpoint rejected max_tokens");
    const [entry] = listRuns(ws);
    expect(entry.ok && entry.status).toBe("failed");
    expect(entry.ok && entry.manifest.error).toBe("endpoint rejected max_tokens");
    expect(fs.readFileSync(path.join(runDir(ws, writer.runId), JOURNAL_FILE), "utf8")).toContain("q00001");
  });
});
