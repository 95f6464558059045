import fs from "node:fs";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import type { EncoderOptions } from "./parquet-encoder.mjs";
import { compareEncoding, recordsEncoding } from "./parquet";

/** Batches handed to the encoder thread and not yet encoded; beyond this add() waits, bounding memory. */
const MAX_QUEUED_BATCHES = 4;
/** The encoder thread cannot report a failure to start, so one that settles nothing for this long is taken as dead. */
const STALL_MS = 60_000;

let encoderThread: Worker | null = null;
/** Why the last encoder thread died, for the error of the files it left waiting. */
let encoderCrash: Error | null = null;

/**
 * The process's encoder thread (parquet-thread.mjs), started on first use and shared by every
 * open run: starting a thread and loading the encoder costs more than encoding a small run.
 */
function sharedEncoderThread(): Worker {
  if (encoderThread) return encoderThread;
  // No execArgv: the thread runs plain JavaScript and needs none of the loaders (tsx) of this one.
  const worker = new Worker(new URL("./parquet-thread.mjs", import.meta.url), { execArgv: [] });
  // An idle encoder thread must not keep the process alive.
  worker.unref();
  worker.on("error", (error) => (encoderCrash = error));
  worker.on("exit", () => {
    if (encoderThread === worker) encoderThread = null;
  });
  return (encoderThread = worker);
}

/**
 * records.parquet and compare.parquet (its COMPARE_COLUMNS), encoded on the encoder thread from
 * the journal's batches, so the writing thread only validates and journals. Both are written
 * through temp files renamed into place on commit(), compare.parquet first: a reader sees no file
 * or the whole file, never one without its footer, and a run with records has its compare file.
 */
export class RecordsParquetFile {
  private readonly targets: { file: string; temp: string; options: EncoderOptions }[];
  /** Messages settled by the encoder thread, counted by it in shared memory so this thread can wait synchronously. */
  private readonly settled = new Int32Array(new SharedArrayBuffer(4));
  private port: MessagePort | null = null;
  private sent = 0;
  /** The encoder's failure, kept: it skips every batch after one it failed, so the file can never be finished. */
  private failure: string | null = null;
  rows = 0;

  constructor(
    private readonly file: string,
    compareFile: string,
    runId: string,
  ) {
    this.targets = [
      { file: compareFile, temp: `${compareFile}.partial`, options: compareEncoding(runId) },
      { file, temp: `${file}.partial`, options: recordsEncoding(runId) },
    ];
  }

  /** Queues one batch of journal text (NDJSON of validated records) for encoding. */
  add(ndjson: string, records: number): void {
    this.post(ndjson);
    this.rows += records;
    this.waitUntilSettled(this.sent - MAX_QUEUED_BATCHES);
    this.throwIfFailed();
  }

  /** Writes the last row group and the footer, and moves the file into place. */
  commit(): void {
    this.post(null);
    this.waitUntilSettled(this.sent);
    this.throwIfFailed();
    this.close();
    for (const target of this.targets) fs.renameSync(target.temp, target.file);
  }

  /** Drops the unfinished file; the journal still holds every record. */
  discard(): void {
    // What the encoder made of the batches no longer matters, but it must be done writing before
    // the file is removed, or its next write would bring the file back.
    this.waitUntilSettled(this.sent);
    this.close();
    for (const target of this.targets) fs.rmSync(target.temp, { force: true });
  }

  private post(batch: string | null): void {
    if (!this.port) {
      const { port1, port2 } = new MessageChannel();
      const targets = this.targets.map(({ temp, options }) => ({ file: temp, options }));
      sharedEncoderThread().postMessage({ targets, settled: this.settled, port: port2 }, [port2]);
      this.port = port1;
    }
    this.port.postMessage(batch);
    this.sent += 1;
  }

  private waitUntilSettled(count: number): void {
    let settled = Atomics.load(this.settled, 0);
    while (settled < count) {
      if (Atomics.wait(this.settled, 0, settled, STALL_MS) === "timed-out" && Atomics.load(this.settled, 0) === settled) {
        const cause = encoderCrash ? ` (${encoderCrash.message})` : "";
        throw new Error(`the thread encoding ${this.file} has not answered for ${STALL_MS / 1000} s${cause}; the journal holds every record`);
      }
      settled = Atomics.load(this.settled, 0);
    }
  }

  private throwIfFailed(): void {
    this.failure ??= (this.port && receiveMessageOnPort(this.port)?.message) || null;
    if (this.failure) throw new Error(`could not write ${this.file}: ${this.failure}; the journal holds every record`);
  }

  private close(): void {
    this.port?.close();
    this.port = null;
  }
}
