import type { RunManifest } from "@/lib/schema";
import { ENTRIES_DIR, entryName, entryText, runState } from "./entries";
import { LocalStore } from "./store";

/**
 * Adds a run's new state to the catalog: one new entry file, never rewritten, so writers on any
 * number of machines never touch the same file. Called after run.json was written as `text`.
 */
export function recordRunState(workspace: string, manifest: RunManifest, text: string): void {
  const entry = runState(manifest, text);
  new LocalStore(workspace).writeOnceSync(`${ENTRIES_DIR}/${entryName(entry)}`, entryText(entry));
}
