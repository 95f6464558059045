import { randomBytes } from "node:crypto";
import { COMPACTED_KEY, ENTRIES_DIR, LOCK_KEY } from "./entries";
import { encodeCompacted, type CatalogRow } from "./compacted";
import { readCatalog } from "./read";
import { AlreadyExistsError, type CatalogStore } from "./store";
import { newestFirst } from "./summary";

/** A lock older than this is one a killed process left: compaction takes seconds, not minutes. */
export const STALE_LOCK_MS = 10 * 60_000;

interface Lock {
  token: string;
  at: string;
}

/**
 * Runs `work` holding the catalog's lock (an object created once: only one process can make it),
 * or returns null when another process holds it. `stillHeld` lets the work check, just before it
 * replaces the compacted file, that a stale-lock takeover did not hand the lock to another.
 */
export async function withCatalogLock<T>(store: CatalogStore, work: (stillHeld: () => Promise<boolean>) => Promise<T>): Promise<T | null> {
  const lock: Lock = { token: randomBytes(12).toString("hex"), at: new Date().toISOString() };
  const text = JSON.stringify(lock);
  try {
    await store.writeOnce(LOCK_KEY, text);
  } catch (error) {
    if (!(error instanceof AlreadyExistsError)) throw error;
    const held = await store.read(LOCK_KEY);
    const heldAt = held ? Date.parse((JSON.parse(held.toString("utf8")) as Lock).at) : NaN;
    if (!(Date.now() - heldAt > STALE_LOCK_MS)) return null;
    await store.delete(LOCK_KEY);
    try {
      await store.writeOnce(LOCK_KEY, text);
    } catch (again) {
      if (again instanceof AlreadyExistsError) return null;
      throw again;
    }
  }
  const stillHeld = async () => (await store.read(LOCK_KEY))?.toString("utf8") === text;
  try {
    return await work(stillHeld);
  } finally {
    if (await stillHeld()) await store.delete(LOCK_KEY);
  }
}

/**
 * Writes `rows` as the compacted file (whole or not at all), then removes the entry files it
 * holds. Entries written after they were listed stay: they are newer than the file, and the next
 * reader or compaction takes them.
 */
export async function replaceCompacted(store: CatalogStore, rows: readonly CatalogRow[], folded: readonly string[], stillHeld: () => Promise<boolean>): Promise<boolean> {
  // in the order listings show: sorting what is read back then finds it sorted but for the new entries
  const bytes = encodeCompacted([...rows].sort(newestFirst));
  if (!(await stillHeld())) return false;
  await store.replace(COMPACTED_KEY, bytes);
  for (const name of folded) await store.delete(`${ENTRIES_DIR}/${name}`);
  return true;
}

/**
 * Folds the loose entries into the compacted file. Any process may run it at any time; it does
 * nothing (and says so, returning null) while another process compacts.
 */
export async function compactCatalog(store: CatalogStore): Promise<{ runs: number; folded: number } | null> {
  return withCatalogLock(store, async (stillHeld) => {
    const snapshot = await readCatalog(store, { manifests: true });
    if (snapshot.entries.length === 0) return { runs: snapshot.rows.length, folded: 0 };
    const done = await replaceCompacted(store, snapshot.rows, snapshot.entries, stillHeld);
    return done ? { runs: snapshot.rows.length, folded: snapshot.entries.length } : null;
  });
}
