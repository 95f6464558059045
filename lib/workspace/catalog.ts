import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { RunManifest, RunStatus } from "@/lib/schema";
import { readManifest } from "./manifest-file";
import { COMPARE_FILE, JOURNAL_FILE, MANIFEST_FILE, RECORDS_FILE, RUNS_DIR } from "./paths";
import { FileNotFoundError, resolveWorkspacePath } from "./serve";
import { fileSha256 } from "./sha256";

export type CatalogEntry =
  | { run_id: string; ok: true; status: RunStatus; manifest: RunManifest }
  /** A broken run; `manifest` when its run.json could be read (the records are what is wrong). */
  | { run_id: string; ok: false; error: string; manifest?: RunManifest };

/** True when the process that was writing a run on this host is gone. */
export function writerIsGone(writer: { pid: number; host: string } | null): boolean {
  if (!writer || writer.host !== os.hostname()) return false;
  try {
    process.kill(writer.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
  // a killed writer answers until its parent (or init) reaps it: seconds here, never under an init that does not reap
  return isZombie(writer.pid);
}

/** Whether a process has exited and waits to be reaped (Linux's /proc; elsewhere, false). */
function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ...": comm may hold ") ", so the state follows the last one
    return /^[ZX]/.test(stat.slice(stat.lastIndexOf(") ") + 2));
  } catch {
    return false;
  }
}

/** The status to show: a "running" run whose writer died is interrupted. */
export function effectiveStatus(manifest: RunManifest): RunStatus {
  return manifest.status === "running" && writerIsGone(manifest.writer) ? "interrupted" : manifest.status;
}

const PARQUET_MAGIC = Buffer.from("PAR1");

/** Cheap integrity checks of a finished run's records file: present, whole, ending in a footer. */
function recordsProblem(dir: string, manifest: RunManifest): string | null {
  if (!manifest.records) {
    return manifest.status === "complete" ? "run.json says complete but names no records file" : null;
  }
  // One open for both checks: this runs for every run on every listing.
  let fd: number;
  try {
    fd = fs.openSync(path.join(dir, RECORDS_FILE), "r");
  } catch {
    return `${RECORDS_FILE} is missing; re-import or re-run this run`;
  }
  const tail = Buffer.alloc(4);
  try {
    const { size } = fs.fstatSync(fd);
    if (size !== manifest.records.bytes) {
      return `${RECORDS_FILE} is ${size} bytes but run.json recorded ${manifest.records.bytes}: the file is truncated or was replaced`;
    }
    fs.readSync(fd, tail, 0, 4, size - 4);
  } finally {
    fs.closeSync(fd);
  }
  return tail.equals(PARQUET_MAGIC) ? null : `${RECORDS_FILE} has no Parquet footer: the file is corrupt`;
}

/**
 * The run's folder, after the confinement check every reader of a run goes through (readRun):
 * the folder and each file readers open must resolve inside the workspace, symlinks followed.
 */
function confinedRunDir(workspace: string, runId: string): string {
  const dir = resolveWorkspacePath(workspace, [RUNS_DIR, runId]);
  for (const file of [MANIFEST_FILE, JOURNAL_FILE, RECORDS_FILE, COMPARE_FILE]) {
    try {
      resolveWorkspacePath(workspace, [RUNS_DIR, runId, file]);
    } catch (error) {
      // a missing file is the readers' to report
      if (!(error instanceof FileNotFoundError)) throw error;
    }
  }
  return dir;
}

/** Hashes that matched, by file, with the file's size and mtime: a file is hashed again only once it changed. */
const verified = new Map<string, string>();

/** Whether a finished run's records file is still the one run.json recorded (its sha256), or why not. */
function recordsChanged(dir: string, manifest: RunManifest): string | null {
  if (!manifest.records) return null;
  const file = path.join(dir, RECORDS_FILE);
  const { size, mtimeMs } = fs.statSync(file);
  const key = `${size}:${mtimeMs}:${manifest.records.sha256}`;
  if (verified.get(file) === key) return null;
  const sha256 = fileSha256(file);
  if (sha256 !== manifest.records.sha256) {
    return `${RECORDS_FILE} has changed since the run was written (its sha256 is ${sha256.slice(0, 12)}..., run.json recorded ${manifest.records.sha256.slice(0, 12)}...): re-import or re-run this run`;
  }
  verified.set(file, key);
  return null;
}

/**
 * Reads one run folder into a catalog entry; a broken run becomes an entry carrying its reason.
 * `verify` (for comparisons) also checks the records file's sha256 against run.json's, once per
 * version of the file; listings check only its size and footer.
 */
export function readRun(workspace: string, runId: string, options: { verify?: boolean } = {}): CatalogEntry {
  try {
    const dir = confinedRunDir(workspace, runId);
    const manifest = readManifest(dir);
    if (manifest.run_id !== runId) {
      return { run_id: runId, ok: false, error: `run.json names run ${manifest.run_id} but sits in folder ${runId}` };
    }
    const problem = recordsProblem(dir, manifest) ?? (options.verify ? recordsChanged(dir, manifest) : null);
    if (problem) return { run_id: runId, ok: false, error: problem, manifest };
    if (!manifest.records && !fs.existsSync(path.join(dir, JOURNAL_FILE)) && manifest.counts.done > 0) {
      return { run_id: runId, ok: false, error: `${JOURNAL_FILE} is missing although run.json counts ${manifest.counts.done} records`, manifest };
    }
    return { run_id: runId, ok: true, status: effectiveStatus(manifest), manifest };
  } catch (error) {
    return { run_id: runId, ok: false, error: (error as Error).message };
  }
}
