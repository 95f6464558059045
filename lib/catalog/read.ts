import { ENTRIES_DIR, COMPACTED_KEY, parseEntry, parseEntryName } from "./entries";
import { decodeCompacted, withSummary, type CatalogRow } from "./compacted";
import { processWide } from "./process-wide";
import { ObjectReplacedError, type CatalogStore } from "./store";

/** What a reader saw: each run's latest state, and the entry files not yet compacted. */
export interface CatalogSnapshot {
  rows: CatalogRow[];
  /** Names of the loose entry files read: what a compaction would fold. */
  entries: string[];
  /** Whether the index exists at all (a compacted file or an entry): a workspace from before it has none. */
  exists: boolean;
}

const ATTEMPTS = 5;

/**
 * What a server keeps between listings, per store: it lists the catalog on every page, poll and
 * live update, and the index changes only by new entry files and, now and then, a new compacted
 * file. The compacted file decoded without manifests, by its version (a file replaced by another
 * process has another); each entry file parsed once (never rewritten); and the last snapshot
 * without manifests, the same rows while neither changed.
 */
interface Kept {
  compacted: { version: string; rows: CatalogRow[] } | null;
  entries: Map<string, CatalogRow>;
  snapshot: { key: string; value: CatalogSnapshot } | null;
}
const kept = processWide("kept-reads", () => new Map<string, Kept>());

function keptFor(store: CatalogStore): Kept {
  let k = kept.get(store.location);
  if (!k) kept.set(store.location, (k = { compacted: null, entries: new Map(), snapshot: null }));
  return k;
}

/** The compacted file's rows and its version, or null when there is none. */
async function compactedRows(store: CatalogStore, manifests: boolean): Promise<{ rows: CatalogRow[]; version: string } | null> {
  const file = await store.open(COMPACTED_KEY);
  if (!file) return null;
  try {
    if (manifests) return { rows: await decodeCompacted(file, { manifests }), version: file.version };
    const k = keptFor(store);
    if (k.compacted?.version !== file.version) k.compacted = { version: file.version, rows: await decodeCompacted(file) };
    return { rows: k.compacted.rows, version: file.version };
  } finally {
    await file.close();
  }
}

/**
 * Each run's state with the highest key: the last state change wins, whichever machine wrote it.
 * The compacted file holds one state per run, so only the runs with entries are looked up.
 */
export function latestStates(compacted: readonly CatalogRow[], entries: readonly CatalogRow[]): CatalogRow[] {
  if (entries.length === 0) return [...compacted];
  const latest = new Map<string, CatalogRow>();
  for (const row of entries) {
    const seen = latest.get(row.run_id);
    if (!seen || seen.key < row.key) latest.set(row.run_id, row);
  }
  const rows: CatalogRow[] = [];
  for (const row of compacted) {
    const entry = latest.get(row.run_id);
    if (entry === undefined) rows.push(row);
    else if (entry.key < row.key) latest.set(row.run_id, row);
  }
  return [...latest.values(), ...rows];
}

const PARALLEL_READS = 64;

/**
 * Reads the compacted file and the entries beside it. Entries are listed before the compacted
 * file is read: one folded meanwhile is in the new compacted file, and its entry file is gone, so
 * a vanished entry means a compaction ran in between, and the read starts again. An entry parsed
 * before is not read again: it never changes, and its state is the same whether it was folded or not.
 */
export async function readCatalog(store: CatalogStore, options: { manifests?: boolean } = {}): Promise<CatalogSnapshot> {
  const manifests = options.manifests ?? false;
  const k = keptFor(store);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const names = (await store.list(ENTRIES_DIR)).filter((name) => parseEntryName(name) !== null).sort();
    let compacted: Awaited<ReturnType<typeof compactedRows>>;
    try {
      compacted = await compactedRows(store, manifests);
    } catch (error) {
      // a compaction replaced the file while its parts were read (a bucket's): the new one is read next
      if (error instanceof ObjectReplacedError) continue;
      throw error;
    }
    const key = `${compacted?.version ?? "none"}\n${names.join("\n")}`;
    if (!manifests && k.snapshot?.key === key) return k.snapshot.value;
    const entries: CatalogRow[] = [];
    let vanished = false;
    const unread = names.filter((name) => !k.entries.has(name));
    for (let start = 0; start < unread.length && !vanished; start += PARALLEL_READS) {
      const batch = unread.slice(start, start + PARALLEL_READS);
      const bytes = await Promise.all(batch.map((name) => store.read(`${ENTRIES_DIR}/${name}`)));
      batch.forEach((name, i) => {
        const entry = bytes[i];
        if (entry === null) vanished = true;
        else k.entries.set(name, withSummary(parseEntry(name, entry)));
      });
    }
    if (vanished) continue;
    for (const name of names) entries.push(k.entries.get(name)!);
    // entries folded into a compacted file are gone from the folder: forget them too
    if (k.entries.size > names.length) {
      const listed = new Set(names);
      for (const name of [...k.entries.keys()]) if (!listed.has(name)) k.entries.delete(name);
    }
    const value = { rows: latestStates(compacted?.rows ?? [], entries), entries: names, exists: compacted !== null || names.length > 0 };
    if (!manifests) k.snapshot = { key, value };
    return value;
  }
  throw new Error(`the catalog in ${store.location} kept changing while it was read (${ATTEMPTS} attempts); try again`);
}
