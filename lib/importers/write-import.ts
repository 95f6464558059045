import fs from "node:fs";
import path from "node:path";
import type { RunManifest } from "@/lib/schema";
import { RunWriter, type NewRun } from "@/lib/workspace/run-writer";
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

/**
 * Writes the runs all or nothing: each is written whole into a staging folder inside the
 * workspace (invisible to the catalog, which reads only runs/), then all are moved into runs/.
 * Any failure removes every run this import moved, and the staging folder always goes.
 */
export function writeImports(workspace: string, runs: RunToWrite[]): WriteResult {
  const ids = new Set<string>();
  for (const { run } of runs) {
    if (ids.has(run.run_id)) throw new Error(`two runs of this import have the id ${run.run_id}; import the files separately or set a different --task`);
    ids.add(run.run_id);
  }
  const existing = runs.filter(({ run }) => fs.existsSync(runDir(workspace, run.run_id))).map(({ run }) => run.run_id);
  const fresh = runs.filter(({ run }) => !existing.includes(run.run_id));
  if (fresh.length === 0) return { created: [], existing };

  fs.mkdirSync(runsRoot(workspace), { recursive: true });
  const staging = fs.mkdtempSync(path.join(workspace, ownedPrefix(STAGING_PREFIX)));
  const moved: string[] = [];
  let open: RunWriter | null = null;
  try {
    const manifests = fresh.map(({ run, records }) => {
      const writer = (open = RunWriter.create(staging, { ...run, counts: { planned: records.length } }, { batchSize: 5000, flushIntervalMs: 60_000 }));
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
    return { created: manifests, existing };
  } catch (error) {
    // Ending the writer stops its flush timer, which would otherwise fire into a deleted folder.
    (open as RunWriter | null)?.end("failed", (error as Error).message);
    for (const dir of moved) fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
