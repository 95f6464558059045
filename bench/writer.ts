// Writing throughput: 100,000 records with 1 KB of text each through the real RunWriter
// (journal batches, then finalization into Parquet). Prints one JSON line of figures.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { RunWriter } from "@/lib/workspace/run-writer";
import { JOURNAL_FILE, runDir } from "@/lib/workspace/paths";
import { benchRun, threadsCpuSeconds } from "./bench-run";

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const TEXT_BYTES = 1000;

const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "evalbench-bench-writer-"));
const filler = "The quick brown fox jumps over the lazy dog. ".repeat(40);
const writer = RunWriter.create(workspace, benchRun("bench-writer", RECORDS));

const cpuStart = process.cpuUsage();
const threadsBefore = threadsCpuSeconds();
const start = performance.now();
for (let i = 0; i < RECORDS; i++) {
  const score = i % 3 === 0 ? 0 : 1;
  writer.append({
    task: "bench",
    subtask: `sub${i % 20}`,
    instance_id: `q${i}`,
    instance_hash: `h${i}`,
    prompt: `Question ${i}: ${filler.slice(0, 300)}`,
    // 1 KB of text per record in all: prompt + response + target
    response: `${i} ${filler.slice(0, TEXT_BYTES - 300 - 20)}`,
    target: String(i),
    extracted: String(i),
    score,
    scores: { exact_match: score },
    latency_ms: 100 + (i % 50),
    output_tokens: 120,
  });
}
writer.flush();
const appended = performance.now();
const manifest = writer.finalize();
const finished = performance.now();
const cpu = process.cpuUsage(cpuStart);
const threadsAfter = threadsCpuSeconds();
const mainThread = String(process.pid);
// The encoder thread starts with the run, so it is among the threads that were not there before.
const newThreads = [...threadsAfter].filter(([tid]) => !threadsBefore.has(tid));

const dir = runDir(workspace, manifest.run_id);
const seconds = (finished - start) / 1000;
console.log(
  JSON.stringify({
    bench: "writer",
    records: RECORDS,
    text_bytes_per_record: TEXT_BYTES,
    append_and_journal_s: +((appended - start) / 1000).toFixed(3),
    finalize_parquet_s: +((finished - appended) / 1000).toFixed(3),
    total_s: +seconds.toFixed(3),
    records_per_s: Math.round(RECORDS / seconds),
    cpu_s: +((cpu.user + cpu.system) / 1e6).toFixed(3),
    writing_thread_cpu_s: threadsAfter.has(mainThread) ? +(threadsAfter.get(mainThread)! - threadsBefore.get(mainThread)!).toFixed(2) : null,
    new_threads_cpu_s: threadsAfter.size > 0 ? +newThreads.reduce((sum, [, seconds]) => sum + seconds, 0).toFixed(2) : null,
    load_1m: +os.loadavg()[0].toFixed(2),
    parquet_bytes_per_record: Math.round((manifest.records?.bytes ?? 0) / RECORDS),
    journal_bytes_per_record: Math.round(fs.statSync(path.join(dir, JOURNAL_FILE)).size / RECORDS),
  }),
);
fs.rmSync(workspace, { recursive: true, force: true });
