import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { recordRunStateIn } from "@/lib/catalog/record";
import { S3Store } from "@/lib/catalog/s3-store";
import { mapAtMost } from "@/lib/s3/at-most";
import { parseS3Url } from "@/lib/s3/location";
import { ObjectExistsError, S3Objects } from "@/lib/s3/objects";
import { parseManifest, type RunManifest } from "@/lib/schema";
import { COMPARE_FILE, JOURNAL_FILE, MANIFEST_FILE, RECORDS_FILE, runDir } from "../paths";
import { writerIsGone } from "../catalog";
import { localMirror } from "./local";
import { journalObject, leaseMs, leaseObject, runObject, runObjects, runPrefix, type Lease } from "./run-objects";

/** Journal batches downloaded at once when a run is resumed. */
const DOWNLOADS_AT_ONCE = 8;
/** run.json is uploaded at most this often while a run goes on: its counts are for people watching. */
const MANIFEST_INTERVAL_MS = 1000;
/**
 * Journal batches uploaded at once while the next ones fill. Only these are held in memory: a
 * batch waiting its turn is read back from the local journal, so a slow bucket cannot fill memory.
 */
const UPLOADS_AT_ONCE = 4;

/** A closed journal batch: its object, and where its bytes are in the local journal. */
interface Batch {
  key: string;
  start: number;
  length: number;
}

/**
 * One run of a bucket workspace, written on this machine: the runner writes the run in the local
 * mirror (localMirror) as in any folder, and this keeps the bucket up to date. pull() brings the
 * run's state down before it is opened; claim() makes this process its only writer; each journal
 * batch is uploaded as it closes (onJournal); finish() uploads the Parquet files, then run.json.
 */
export class S3RunSync {
  readonly objects: S3Objects;
  /** The local folder the runner writes in. */
  readonly local: string;
  private writer = 0;
  /** The bucket held the run's run.json when it was pulled. */
  private existed = false;
  private batches = 0;
  private readonly token = randomUUID();
  /** Closed batches not sent yet, oldest first. */
  private readonly waiting: Batch[] = [];
  private readonly uploads = new Set<Promise<void>>();
  private manifestUpload: Promise<void> = Promise.resolve();
  private manifestSentAt = 0;
  /** finish() began: the local run.json may say complete before the Parquet files are uploaded. */
  private finishing = false;
  private renewal: NodeJS.Timeout | null = null;
  /** The first failed upload or lost lease: the run stops at its next batch. */
  private failure: Error | null = null;

  constructor(
    workspace: string,
    readonly runId: string,
  ) {
    const location = parseS3Url(workspace);
    this.objects = new S3Objects(location);
    this.local = localMirror(location);
  }

  /** The run's place in the bucket, for messages. */
  get shown(): string {
    return `${this.objects.url}/${runPrefix(this.runId)}`;
  }

  /** Whether a run's error is this sync's failure (an upload, a lost lease), which says what happened itself. */
  failed(error: unknown): boolean {
    return error !== null && error === this.failure;
  }

  private get dir(): string {
    return runDir(this.local, this.runId);
  }

  /**
   * Replaces the local copy of the run with the bucket's (run.json and every uploaded batch, as
   * one journal), so the runner sees what the bucket holds. Refused while another writer holds it.
   */
  async pull(): Promise<void> {
    const run = runObjects(this.runId, await this.objects.list(runPrefix(this.runId)));
    if (run.lease) {
      const lease = await this.readLease(run.lease.writer);
      const age = Date.now() - run.lease.object.modified.getTime();
      // a writer on this machine whose process is gone renews nothing: no need to wait for its lease to lapse
      if (lease && !lease.released && age < leaseMs() && !writerIsGone(lease)) {
        throw new Error(
          `run ${this.runId} in ${this.objects.url} is being written by ${lease.host} (pid ${lease.pid}), whose lease was renewed ${Math.round(age / 1000)} s ago: a second writer is refused; if that writer is gone, --resume takes over once its lease lapses (${leaseMs() / 1000} s)`,
        );
      }
    }
    this.writer = (run.lease?.writer ?? 0) + 1;
    fs.rmSync(this.dir, { recursive: true, force: true });
    this.existed = run.hasManifest;
    if (!run.hasManifest) return;
    const manifest = await this.objects.read(runObject(this.runId, MANIFEST_FILE));
    fs.mkdirSync(this.dir, { recursive: true });
    fs.writeFileSync(path.join(this.dir, MANIFEST_FILE), manifest!);
    if (parseManifest(JSON.parse(manifest!.toString()), `${this.objects.url}/${runObject(this.runId, MANIFEST_FILE)}`).status === "complete") return;
    const batches = await mapAtMost(run.journal, DOWNLOADS_AT_ONCE, async (object) => (await this.objects.read(object.key)) ?? Buffer.alloc(0));
    fs.writeFileSync(path.join(this.dir, JOURNAL_FILE), Buffer.concat(batches));
  }

  /**
   * Makes this process the run's writer, after the runner opened it: a new run's run.json is
   * written once (a run id that exists is refused), then this writer's lease, once. Two writers
   * that both pulled the run before either claimed it cannot both get the same lease.
   */
  async claim(): Promise<void> {
    const created = !this.existed;
    const manifest = fs.readFileSync(path.join(this.dir, MANIFEST_FILE));
    const where = this.shown;
    try {
      if (created) await this.objects.writeOnce(runObject(this.runId, MANIFEST_FILE), manifest);
      await this.objects.createOnce(leaseObject(this.runId, this.writer), this.leaseText(false));
    } catch (error) {
      if (!(error instanceof ObjectExistsError)) throw error;
      const held = error.winner && (JSON.parse(error.winner.toString()) as Lease);
      throw new Error(`run ${this.runId} was opened by another writer${held ? ` (${held.host}, pid ${held.pid})` : ""} in ${where} at the same moment: this one is refused`);
    }
    if (!created) await this.objects.replace(runObject(this.runId, MANIFEST_FILE), manifest);
    await this.indexState(manifest);
    this.renewal = setInterval(() => void this.renew(), leaseMs() / 3);
    this.renewal.unref();
  }

  /**
   * The runner's hook for each journal batch it appended: queued for upload, at most
   * UPLOADS_AT_ONCE in flight, so the next batch fills while earlier ones travel.
   */
  onJournal = (text: string): void => {
    if (this.failure) throw this.failure;
    // The batch is the journal's last bytes: the writer appended it just now.
    const length = Buffer.byteLength(text);
    const start = fs.statSync(this.journal).size - length;
    this.waiting.push({ key: journalObject(this.runId, this.writer, this.batches++), start, length });
    this.sendBatches();
  };

  private get journal(): string {
    return path.join(this.dir, JOURNAL_FILE);
  }

  /** Starts the waiting batches' uploads while there is room; each that ends makes room for the next. */
  private sendBatches(): void {
    while (this.uploads.size < UPLOADS_AT_ONCE && this.waiting.length > 0 && !this.failure) {
      const batch = this.waiting.shift()!;
      const upload = Promise.resolve()
        .then(() => this.objects.replace(batch.key, readBytes(this.journal, batch.start, batch.length)))
        .then(() => this.sendManifest(false))
        .catch((error: Error) => void (this.failure ??= error))
        .finally(() => {
          this.uploads.delete(upload);
          this.sendBatches();
        });
      this.uploads.add(upload);
    }
  }

  /**
   * Ends this writer's part: every batch uploaded, then for a finished run its Parquet files, then
   * run.json (a reader that sees the run complete finds its files), then the lease released.
   */
  async finish(manifest: RunManifest): Promise<void> {
    this.finishing = true;
    if (this.renewal) clearInterval(this.renewal);
    // each upload that ends starts the next waiting one
    while (this.uploads.size > 0) await Promise.all(this.uploads);
    if (this.failure) throw this.failure;
    if (manifest.records) await Promise.all([COMPARE_FILE, RECORDS_FILE].map((file) => this.objects.upload(runObject(this.runId, file), path.join(this.dir, file))));
    await this.sendManifest(true);
    await this.indexState(fs.readFileSync(path.join(this.dir, MANIFEST_FILE)));
    await this.objects.replace(leaseObject(this.runId, this.writer), this.leaseText(true));
  }

  /** The catalog's entry for the state just uploaded as run.json, as RunWriter records one in a folder. */
  private async indexState(text: Buffer): Promise<void> {
    const manifest = parseManifest(JSON.parse(text.toString()), `${this.shown}${MANIFEST_FILE}`);
    await recordRunStateIn(new S3Store(this.objects), manifest, text.toString());
  }

  private leaseText(released: boolean): string {
    const lease: Lease = { token: this.token, host: os.hostname(), pid: process.pid, released };
    return JSON.stringify(lease);
  }

  private async readLease(writer: number): Promise<Lease | null> {
    const text = await this.objects.read(leaseObject(this.runId, writer));
    return text ? (JSON.parse(text.toString()) as Lease) : null;
  }

  /** Uploads the local run.json, one upload at a time; while the run goes on, at most once a second. */
  private sendManifest(last: boolean): Promise<void> {
    if (!last && (this.finishing || Date.now() - this.manifestSentAt < MANIFEST_INTERVAL_MS)) return Promise.resolve();
    this.manifestSentAt = Date.now();
    // read now, not when the upload before it is done: by then finalize may have marked it complete
    const text = fs.readFileSync(path.join(this.dir, MANIFEST_FILE));
    this.manifestUpload = this.manifestUpload.then(() => this.objects.replace(runObject(this.runId, MANIFEST_FILE), text));
    return this.manifestUpload;
  }

  /** Renews the lease, unless a later writer took the run over while this one was silent past the lease. */
  private async renew(): Promise<void> {
    try {
      const { lease } = runObjects(this.runId, await this.objects.list(runPrefix(this.runId)));
      if (lease && lease.writer !== this.writer) {
        const other = await this.readLease(lease.writer);
        throw new Error(`run ${this.runId} was taken over by ${other?.host} (pid ${other?.pid}) after this writer's lease lapsed: this writer stops`);
      }
      await this.objects.replace(leaseObject(this.runId, this.writer), this.leaseText(false));
    } catch (error) {
      this.failure ??= error as Error;
    }
  }
}

/** `length` bytes of a file from `start`. */
function readBytes(file: string, start: number, length: number): Buffer {
  const fd = fs.openSync(file, "r");
  try {
    const bytes = Buffer.allocUnsafe(length);
    if (fs.readSync(fd, bytes, 0, length, start) !== length) throw new Error(`${file} ends before byte ${start + length}: the journal changed under its upload`);
    return bytes;
  } finally {
    fs.closeSync(fd);
  }
}
