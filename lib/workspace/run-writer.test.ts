import fs from "node:fs";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { parquetReadObjects } from "hyparquet";
import { describe, expect, it, vi } from "vitest";
import { COMPARE_COLUMNS, QuestionRecord, type QuestionRecordInput } from "@/lib/schema";
import { listRuns } from "@/lib/catalog/list";
import { DiskFullError } from "./disk-full";
import { readManifest } from "./manifest-file";
import { recordsParquetBytes } from "./parquet";
import { COMPARE_FILE, JOURNAL_FILE, RECORDS_FILE, runDir } from "./paths";
import { RunWriter, uniqueRecords } from "./run-writer";
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
    const compareFile = path.join(runDir(ws, manifest.run_id), COMPARE_FILE);
    expect(manifest.records).toEqual({
      file: RECORDS_FILE,
      rows: 5,
      bytes: fs.statSync(file).size,
      sha256: fileSha256(file),
      compare: { file: COMPARE_FILE, bytes: fs.statSync(compareFile).size },
    });

    const rows = await readParquet(file);
    expect(rows.map((r) => r.instance_id)).toEqual(["q00000", "q00001", "q00002", "q00003", "q00004"]);
    expect(rows[4].error).toBe("HTTP 500 after 3 retries");
    expect(rows[4].score).toBeNull();
    expect(rows.every((r) => r.run_id === manifest.run_id)).toBe(true);
    expect(readManifest(runDir(ws, manifest.run_id))).toEqual(manifest);
  });

  it("reads back from Parquet exactly the records it was given, the same bytes as a snapshot of its journal", async () => {
    // Text that JSON escapes or UTF-8 widens, nulls and JSON columns, across several batches and row groups
    const tricky = ['say "hi"\n\tand \\ leave', "naïve café — 数学 🧮", "", "\u2028 line separator"];
    const inputs: Omit<QuestionRecordInput, "run_id">[] = Array.from({ length: 1234 }, (_, i) =>
      record(i, {
        subtask: i % 7 === 0 ? null : `sub${i % 5}`,
        sample: i % 3,
        cluster_id: i % 4 === 0 ? null : `c${i % 11}`,
        prompt: `${tricky[i % tricky.length]} ${i}`,
        response: i % 13 === 0 ? null : `${"x".repeat(i % 900)}${tricky[(i + 1) % tricky.length]}`,
        score: i % 13 === 0 ? null : (i % 10) / 10,
        scores: i % 13 === 0 ? {} : { exact_match: (i % 10) / 10, f1: i % 2 === 0 ? null : 0.25 },
        error: i % 13 === 0 ? "HTTP 500 after 3 retries" : null,
        transcript: i % 6 === 0 ? [{ role: "user", content: tricky[i % tricky.length] }, { tool: "calc", args: { x: i } }] : null,
        input_tokens: i % 5 === 0 ? null : 100 + i,
        output_tokens: i,
        latency_ms: i * 1.5,
        started_at: i % 2 === 0 ? null : "2026-11-27T10:00:00.000Z",
      }),
    );
    const ws = tempWorkspace();
    const writer = RunWriter.create(ws, newRun(), { batchSize: 300 });
    for (const input of inputs) writer.append(input);
    const manifest = writer.finalize();
    const dir = runDir(ws, manifest.run_id);
    const file = path.join(dir, RECORDS_FILE);

    const expected = inputs.map((input) => QuestionRecord.parse({ ...input, run_id: manifest.run_id }));
    expect(await readParquet(file)).toEqual(expected);
    // Encoded on the encoder thread from journal text, or here from records: the same file.
    const snapshot = recordsParquetBytes(uniqueRecords(path.join(dir, JOURNAL_FILE)), manifest.run_id);
    expect(fs.readFileSync(file).equals(snapshot)).toBe(true);
    // compare.parquet: the comparison's columns of the same records, in the same order
    const pick = (r: Record<string, unknown>) => Object.fromEntries(COMPARE_COLUMNS.map((c) => [c, r[c]]));
    expect(await readParquet(path.join(dir, COMPARE_FILE))).toEqual(expected.map(pick));

    // The CLI reads runs with DuckDB
    const db = await DuckDBInstance.create(":memory:");
    const conn = await db.connect();
    const rows = (await conn.runAndReadAll(`SELECT instance_id, sample, prompt, response, scores FROM read_parquet('${file}')`)).getRowObjectsJS();
    conn.closeSync();
    db.closeSync();
    expect(rows).toEqual(
      expected.map((r) => ({ instance_id: r.instance_id, sample: r.sample, prompt: r.prompt, response: r.response, scores: JSON.stringify(r.scores) })),
    );
  });

  it("reports a Parquet file it cannot write, keeping every record in the journal", () => {
    const ws = tempWorkspace();
    const writer = RunWriter.create(ws, newRun());
    const dir = runDir(ws, writer.runId);
    // The encoder cannot create its file: the temp name points into a folder that does not exist
    fs.symlinkSync(path.join(ws, "missing", "records.parquet"), path.join(dir, `${RECORDS_FILE}.partial`));
    for (let i = 0; i < 5; i++) writer.append(record(i));
    expect(() => writer.finalize()).toThrow(/could not write .*records\.parquet: ENOENT.*; the journal holds every record/);
    expect([...uniqueRecords(path.join(dir, JOURNAL_FILE))].map((r) => r.instance_id)).toEqual(["q00000", "q00001", "q00002", "q00003", "q00004"]);
    expect(fs.existsSync(path.join(dir, RECORDS_FILE))).toBe(false);
    // The run can still be ended, with what came after the failure journaled too
    writer.append(record(5));
    writer.end("failed", "records.parquet could not be written");
    expect(readManifest(dir)).toMatchObject({ status: "failed", counts: { done: 6 } });
    expect([...uniqueRecords(path.join(dir, JOURNAL_FILE))]).toHaveLength(6);
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
    expect(() => RunWriter.create(ws, newRun())).toThrow(`run gsm8k-tiny-step100 already exists in ${ws}; resume it or choose another run id`);
    // any other failure to make the folder is passed on as it is, not called an existing run
    const denied = Object.assign(new Error("EACCES: permission denied, mkdir"), { code: "EACCES" });
    vi.spyOn(fs, "mkdirSync").mockImplementation((dir) => {
      if (String(dir).endsWith("other-run")) throw denied;
      return undefined;
    });
    try {
      expect(() => RunWriter.create(ws, newRun({ run_id: "other-run" }))).toThrow(denied);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it("resumes after a torn last line, keeping every flushed record", () => {
    const ws = tempWorkspace();
    const writer = RunWriter.create(ws, newRun(), { batchSize: 3 });
    for (let i = 0; i < 6; i++) writer.append(record(i, i % 3 === 0 ? { score: null, error: "HTTP 503" } : {}));
    const journal = path.join(runDir(ws, writer.runId), JOURNAL_FILE);
    fs.appendFileSync(journal, '{"run_id":"gsm8k-tiny-step100","task":"gs'); // a kill mid-write

    const resumed = RunWriter.resume(ws, writer.runId);
    expect([...resumed.recorded].length).toBe(6);
    // run.json says so at once: running again, with what the journal holds
    expect(readManifest(runDir(ws, writer.runId))).toMatchObject({ status: "running", counts: { done: 6, errored: 2 } });
    resumed.append(record(6));
    const manifest = resumed.finalize();
    expect(manifest.records?.rows).toBe(7);
    expect(manifest.counts.done).toBe(7);
    // the torn line is gone, not glued to the next batch
    expect([...uniqueRecords(journal)].map((r) => r.instance_id)).toEqual(["q00000", "q00001", "q00002", "q00003", "q00004", "q00005", "q00006"]);
  });

  it("resumes after a torn line longer than the chunk it is searched in (a kill in a large batch)", () => {
    const ws = tempWorkspace();
    const writer = RunWriter.create(ws, newRun());
    for (let i = 0; i < 3; i++) writer.append(record(i, { response: "r".repeat(100_000) }));
    writer.flush();
    const journal = path.join(runDir(ws, writer.runId), JOURNAL_FILE);
    fs.appendFileSync(journal, `{"run_id":"gsm8k-tiny-step100","response":"${"x".repeat(200_000)}`);

    const resumed = RunWriter.resume(ws, writer.runId);
    resumed.append(record(3));
    resumed.finalize();
    expect([...uniqueRecords(journal)].map((r) => r.instance_id)).toEqual(["q00000", "q00001", "q00002", "q00003"]);
  });

  it("resumes after a kill cut its first batch short, with nothing recorded yet", () => {
    const ws = tempWorkspace();
    const writer = RunWriter.create(ws, newRun());
    const journal = path.join(runDir(ws, writer.runId), JOURNAL_FILE);
    fs.appendFileSync(journal, '{"run_id":"gsm8k-tiny-step100","task":"gs');

    const resumed = RunWriter.resume(ws, writer.runId);
    resumed.append(record(0));
    expect(resumed.finalize().records?.rows).toBe(1);
    expect([...uniqueRecords(journal)].map((r) => r.instance_id)).toEqual(["q00000"]);
  });

  it("refuses to resume from a journal line that is JSON but not a record, naming the line", () => {
    const ws = tempWorkspace();
    const writer = RunWriter.create(ws, newRun());
    writer.append(record(0));
    writer.flush();
    const journal = path.join(runDir(ws, writer.runId), JOURNAL_FILE);
    fs.appendFileSync(journal, '{"instance_id":"q1"}\n');
    expect(() => RunWriter.resume(ws, writer.runId)).toThrow(new RegExp(`^${journal} line 2: Invalid input: expected string, received undefined$`));
  });

  it("keeps the first of a question's records when the journal holds it twice", () => {
    const ws = tempWorkspace();
    const writer = RunWriter.create(ws, newRun());
    writer.append(record(0, { response: "first" }));
    writer.flush();
    const journal = path.join(runDir(ws, writer.runId), JOURNAL_FILE);
    const line = fs.readFileSync(journal, "utf8");
    fs.appendFileSync(journal, line.replace('"first"', '"second"'));
    expect([...uniqueRecords(journal)].map((r) => r.response)).toEqual(["first"]);
    expect(RunWriter.resume(ws, writer.runId).finalize().records?.rows).toBe(1);
  });

  it("refuses to resume a complete run", () => {
    const ws = tempWorkspace();
    RunWriter.create(ws, newRun()).finalize();
    expect(() => RunWriter.resume(ws, "gsm8k-tiny-step100")).toThrow(/^run gsm8k-tiny-step100 is complete; there is nothing to resume$/);
  });

  it("ends a run as failed with its reason, keeping what was recorded", async () => {
    const ws = tempWorkspace();
    const writer = RunWriter.create(ws, newRun());
    writer.append(record(1));
    writer.end("failed", "endpoint rejected max_tokens");
    const [entry] = await listRuns(ws);
    expect(entry.ok && entry.status).toBe("failed");
    expect(entry.ok && entry.manifest.error).toBe("endpoint rejected max_tokens");
    expect(fs.readFileSync(path.join(runDir(ws, writer.runId), JOURNAL_FILE), "utf8")).toContain("q00001");
  });
});

describe("a full disk while a batch waits for its timer", () => {
  it("does not throw from the timer (a stack trace and a dead process); the next append says so in one line", () => {
    vi.useFakeTimers();
    const writer = RunWriter.create(tempWorkspace(), newRun(), { flushIntervalMs: 50 });
    const full = vi.spyOn(fs, "writeSync").mockImplementation(() => {
      throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    });
    try {
      writer.append(record(1));
      expect(() => vi.advanceTimersByTime(100)).not.toThrow();
      expect(() => writer.append(record(2))).toThrow(DiskFullError);
      expect(() => writer.append(record(3))).toThrow(/^no space left on the disk holding .* \(ENOSPC\)/);
    } finally {
      full.mockRestore();
      vi.useRealTimers();
    }
    expect(writer.end("interrupted", "disk full").status).toBe("interrupted");
  });
});

describe("an onJournal hook that fails (an upload) while a batch waits for its timer", () => {
  it("stops the run: the next append raises the hook's error, the batch stays journaled", () => {
    vi.useFakeTimers();
    const failure = new Error("cannot reach bucket b at http://127.0.0.1:1 (connect ECONNREFUSED): check AWS_ENDPOINT_URL and that the server is up");
    const writer = RunWriter.create(tempWorkspace(), newRun(), {
      flushIntervalMs: 50,
      onJournal: () => {
        throw failure;
      },
    });
    try {
      writer.append(record(1));
      expect(() => vi.advanceTimersByTime(100)).not.toThrow();
      expect(() => writer.append(record(2))).toThrow(failure);
      expect(() => writer.flush()).toThrow(failure);
    } finally {
      vi.useRealTimers();
    }
    const ended = writer.end("failed", failure.message);
    expect(ended.counts.done).toBe(1);
    expect([...uniqueRecords(path.join(writer.dir, JOURNAL_FILE))].map((r) => r.instance_id)).toEqual([record(1).instance_id]);
  });
});
