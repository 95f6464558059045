import type { RunManifest } from "@/lib/schema";
import { ENTRIES_DIR, entryName, entryText, runState, type IndexedRun } from "./entries";
import { LocalStore, type CatalogStore } from "./store";

const entryKey = (entry: IndexedRun) => `${ENTRIES_DIR}/${entryName(entry)}`;

/**
 * Adds a run's new state to the catalog: one new entry file, never rewritten, so writers on any
 * number of machines never touch the same file. Called after run.json was written as `text`.
 */
export function recordRunState(workspace: string, manifest: RunManifest, text: string): void {
  const entry = runState(manifest, text);
  new LocalStore(workspace).writeOnceSync(entryKey(entry), entryText(entry));
}

/** recordRunState in any store: a bucket's, after run.json was uploaded as `text`. */
export async function recordRunStateIn(store: CatalogStore, manifest: RunManifest, text: string): Promise<void> {
  const entry = runState(manifest, text);
  await store.writeOnce(entryKey(entry), entryText(entry));
}
