import { ENTRIES_DIR, COMPACTED_KEY, parseEntry, parseEntryName } from "./entries";
import { decodeCompacted, withSummary, type CatalogRow } from "./compacted";
import type { CatalogStore } from "./store";

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
 * The last compacted file decoded without manifests, per store: a server lists the catalog on
 * every page and live update, and the file changes only when compacted. Its bytes are still read
 * and compared each time, so a file replaced by another process is never missed.
 */
const decoded = new Map<string, { bytes: Buffer; rows: CatalogRow[] }>();

async function compactedRows(store: CatalogStore, bytes: Buffer, manifests: boolean): Promise<CatalogRow[]> {
  if (manifests) return decodeCompacted(bytes, { manifests });
  const cached = decoded.get(store.location);
  if (cached && cached.bytes.equals(bytes)) return [...cached.rows];
  const rows = await decodeCompacted(bytes);
  decoded.set(store.location, { bytes, rows });
  return [...rows];
}
const PARALLEL_READS = 64;

/** Each run's state with the highest key: the last state change wins, whichever machine wrote it. */
export function latestStates(rows: Iterable<CatalogRow>): CatalogRow[] {
  const latest = new Map<string, CatalogRow>();
  for (const row of rows) {
    const seen = latest.get(row.run_id);
    if (!seen || seen.key < row.key) latest.set(row.run_id, row);
  }
  return [...latest.values()];
}

/**
 * Reads the compacted file and the entries beside it. Entries are listed before the compacted
 * file is read: one folded meanwhile is in the new compacted file, and its entry file is gone, so
 * a vanished entry means a compaction ran in between, and the read starts again.
 */
export async function readCatalog(store: CatalogStore, options: { manifests?: boolean } = {}): Promise<CatalogSnapshot> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const names = (await store.list(ENTRIES_DIR)).filter((name) => parseEntryName(name) !== null).sort();
    const compacted = await store.read(COMPACTED_KEY);
    const rows = compacted ? await compactedRows(store, compacted, options.manifests ?? false) : [];
    let vanished = false;
    for (let start = 0; start < names.length && !vanished; start += PARALLEL_READS) {
      const batch = names.slice(start, start + PARALLEL_READS);
      const bytes = await Promise.all(batch.map((name) => store.read(`${ENTRIES_DIR}/${name}`)));
      batch.forEach((name, i) => {
        const entry = bytes[i];
        if (entry === null) vanished = true;
        else rows.push(withSummary(parseEntry(name, entry)));
      });
    }
    if (!vanished) return { rows: latestStates(rows), entries: names, exists: compacted !== null || names.length > 0 };
  }
  throw new Error(`the catalog in ${store.location} kept changing while it was read (${ATTEMPTS} attempts); try again`);
}
