// Writing to an S3 workspace: 100,000 records with 1 KB of text each through the real RunWriter
// and the bucket sync the runner uses (each journal batch uploaded as it closes, then the Parquet
// files and run.json), to a real S3 API server (s3rver) in its own process on loopback. The time
// runs until run.json says complete in the bucket. Prints one JSON line of figures.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { S3Objects } from "@/lib/s3/objects";
import { startS3Server } from "@/lib/s3/testing/s3-server";
import { RunWriter } from "@/lib/workspace/run-writer";
import { S3RunSync } from "@/lib/workspace/s3/run-sync";
import { benchRun, prose, threadsCpuSeconds } from "./bench-run";

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const TEXT_BYTES = 1000;
const BUCKET = "bench";

const s3 = await startS3Server([BUCKET]);
const cache = fs.mkdtempSync(path.join(os.tmpdir(), "evalbench-bench-s3-"));
process.env.XDG_CACHE_HOME = cache;
const workspace = `s3://${BUCKET}/ws`;
const text = Array.from({ length: 64 }, (_, i) => prose(i, TEXT_BYTES - 300));
// Made before the clock starts: generating prose is this bench's work, not the writer's (0.19 CPU-s).
const prompts = Array.from({ length: RECORDS }, (_, i) => `Question ${i}: ${prose(i, 280)}`);

/** CPU seconds a process has used (Linux), to tell this process's work from the S3 server's on shared cores. */
function cpuSeconds(pid: number | "self"): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const cpuBefore = { writer: cpuSeconds("self"), s3: cpuSeconds(s3.pid) };
const threadsBefore = threadsCpuSeconds();
const start = performance.now();
const sync = new S3RunSync(workspace, "bench-s3-writer");
await sync.pull();
const writer = RunWriter.create(sync.local, benchRun("bench-s3-writer", RECORDS), { onJournal: sync.onJournal });
await sync.claim();
const opened = performance.now();
for (let i = 0; i < RECORDS; i++) {
  const score = i % 3 === 0 ? 0 : 1;
  writer.append({
    task: "bench",
    subtask: `sub${i % 20}`,
    instance_id: `q${i}`,
    instance_hash: `h${i}`,
    prompt: prompts[i],
    // 1 KB of text per record in all: prompt + response + target
    response: text[i % text.length],
    target: String(i),
    extracted: String(i),
    score,
    scores: { exact_match: score },
  });
  // A runner's records arrive from model answers on the event loop, which sends the uploads
  // meanwhile; a loop that never let it turn would hold every upload until the end.
  if (i % 1000 === 999) await new Promise(setImmediate);
}
const appended = performance.now();
const manifest = writer.finalize();
const finalized = performance.now();
await sync.finish(manifest);
const finished = performance.now();

const cpu = { writer: cpuSeconds("self") - cpuBefore.writer, s3: cpuSeconds(s3.pid) - cpuBefore.s3 };
const threadsAfter = threadsCpuSeconds();
const mainThread = String(process.pid);
// The Parquet encoder thread starts with the run: it is among the threads that were not there before.
const newThreads = [...threadsAfter].filter(([tid]) => !threadsBefore.has(tid));
const objects = await new S3Objects({ bucket: BUCKET, prefix: "ws" }).list("runs/");
const seconds = (finished - start) / 1000;
console.log(
  JSON.stringify({
    bench: "s3-writer",
    records: RECORDS,
    text_bytes_per_record: TEXT_BYTES,
    open_and_claim_s: +((opened - start) / 1000).toFixed(3),
    append_journal_and_upload_s: +((appended - opened) / 1000).toFixed(3),
    finalize_parquet_s: +((finalized - appended) / 1000).toFixed(3),
    upload_rest_s: +((finished - finalized) / 1000).toFixed(3),
    total_s: +seconds.toFixed(3),
    records_per_s: Math.round(RECORDS / seconds),
    writer_cpu_s: +cpu.writer.toFixed(2),
    writing_thread_cpu_s: threadsAfter.has(mainThread) ? +(threadsAfter.get(mainThread)! - threadsBefore.get(mainThread)!).toFixed(2) : null,
    new_threads_cpu_s: threadsAfter.size > 0 ? +newThreads.reduce((sum, [, seconds]) => sum + seconds, 0).toFixed(2) : null,
    s3_server_cpu_s: +cpu.s3.toFixed(2),
    cpu_us_per_record: Math.round(((cpu.writer + cpu.s3) * 1e6) / RECORDS),
    objects: objects.length,
    uploaded_mb: +(objects.reduce((sum, o) => sum + o.size, 0) / 1e6).toFixed(1),
    // what the uploads waiting their turn cost in memory
    writer_max_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    load_1m: +os.loadavg()[0].toFixed(2),
  }),
);
s3.close();
fs.rmSync(cache, { recursive: true, force: true });
