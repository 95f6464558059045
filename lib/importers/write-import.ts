import fs from "node:fs";
import path from "node:path";
import { isS3Url } from "@/lib/s3/location";
import type { RunManifest } from "@/lib/schema";
import { RunWriter, type NewRun } from "@/lib/workspace/run-writer";
import { removeBucketRun, writeRunToBucket } from "@/lib/workspace/s3/write-run";
import { runExists } from "@/lib/workspace/store";
import { ownedPrefix } from "@/lib/workspace/leftovers";
import { MANIFEST_FILE, runDir, runsRoot } from "@/lib/workspace/paths";
import { recordRunState } from "@/lib/catalog/record";
import type { ImportRecord } from "./types";

/** Staging folders in the workspace: `.import-<pid>-*`. */
export const STAGING_PREFIX = ".import-";

export interface RunToWrite {
  run: NewRun;
  records: ImportRecord[];
}

export interface WriteResult {
  created: RunManifest[];
  /** Runs whose id is already in the workspace: the same source imported before. */
  existing: string[];
}

const WRITER_OPTIONS = { batchSize: 5000, flushIntervalMs: 60_000 };

/** The questions a run plans: its own count (a re-scored run keeps its original's), else the records it has. */
const plannedRun = (run: NewRun, records: readonly unknown[]): NewRun => ({ ...run, counts: { planned: run.counts?.planned ?? records.length } });

/**
 * Writes the runs all or nothing, into a folder or a bucket; runs whose id the workspace holds
 * already are left as they are.
 */
export async function writeImports(workspace: string, runs: RunToWrite[]): Promise<WriteResult> {
  const ids = new Set<string>();
  for (const { run } of runs) {
    if (ids.has(run.run_id)) throw new Error(`two runs of this import have the id ${run.run_id}; import the files separately or set a different --task`);
    ids.add(run.run_id);
  }
  const held = await Promise.all(runs.map(({ run }) => runExists(workspace, run.run_id)));
  const existing = runs.filter((_, i) => held[i]).map(({ run }) => run.run_id);
  const fresh = runs.filter((_, i) => !held[i]);
  if (fresh.length === 0) return { created: [], existing };
  return { created: isS3Url(workspace) ? await writeToBucket(workspace, fresh) : writeToFolder(workspace, fresh), existing };
}

/**
 * A bucket's runs, one after the other as `run` writes them (lib/workspace/s3/write-run); any
 * failure removes the runs this import wrote.
 */
async function writeToBucket(workspace: string, runs: RunToWrite[]): Promise<RunManifest[]> {
  const written: RunManifest[] = [];
  try {
    for (const { run, records } of runs) written.push(await writeRunToBucket(workspace, plannedRun(run, records), records, WRITER_OPTIONS));
    return written;
  } catch (error) {
    for (const { run_id } of written) {
      await removeBucketRun(workspace, run_id).catch((removal: Error) => {
        (error as Error).message += `; and run ${run_id} of this import could not be removed (${removal.message}): delete it by hand`;
      });
    }
    throw error;
  }
}

/**
 * A folder's runs: each is written whole into a staging folder inside the workspace (invisible
 * to the catalog, which reads only runs/), then all are moved into runs/. Any failure removes
 * every run this import moved, and the staging folder always goes.
 */
function writeToFolder(workspace: string, fresh: RunToWrite[]): RunManifest[] {
  fs.mkdirSync(runsRoot(workspace), { recursive: true });
  const staging = fs.mkdtempSync(path.join(workspace, ownedPrefix(STAGING_PREFIX)));
  const moved: string[] = [];
  let open: RunWriter | null = null;
  try {
    const manifests = fresh.map(({ run, records }) => {
      const writer = (open = RunWriter.create(staging, plannedRun(run, records), WRITER_OPTIONS));
      for (const record of records) writer.append(record);
      open = null;
      return writer.finalize();
    });
    for (const manifest of manifests) {
      const target = runDir(workspace, manifest.run_id);
      // mkdir fails if another process took the id meanwhile; rename then replaces the empty folder.
      fs.mkdirSync(target);
      moved.push(target);
      fs.renameSync(runDir(staging, manifest.run_id), target);
    }
    // the staging folder's own catalog goes with it: the runs join the workspace's now
    for (const manifest of manifests) recordRunState(workspace, manifest, fs.readFileSync(path.join(runDir(workspace, manifest.run_id), MANIFEST_FILE), "utf8"));
    return manifests;
  } catch (error) {
    // Ending the writer stops its flush timer, which would otherwise fire into a deleted folder.
    (open as RunWriter | null)?.end("failed", (error as Error).message);
    for (const dir of moved) fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
