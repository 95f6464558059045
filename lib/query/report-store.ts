import { openDB, type DBSchema, type IDBPDatabase } from "idb";

/**
 * Finished comparison reports kept in the browser (IndexedDB), so reopening a comparison shows
 * its statistics, bootstraps included, before the runs are read again. A key names everything a
 * report depends on: this build of the app (its statistics code), both runs' content hashes, the
 * metric, the scope and the settings. Only finalized runs are stored: their content cannot change
 * under the same hash.
 */
interface Stored<T> {
  savedAt: number;
  value: T;
}

interface ReportDB extends DBSchema {
  reports: { key: string; value: Stored<unknown>; indexes: { savedAt: number } };
}

/** Enough for every scope of dozens of comparisons; the oldest go first. */
const MAX_REPORTS = 500;

/** Changes with every build (next.config.ts), so a report is never served to another version of the statistics. */
const BUILD = process.env.EVALBENCH_BUILD ?? "dev";

let db: Promise<IDBPDatabase<ReportDB>> | null = null;

function database(): Promise<IDBPDatabase<ReportDB>> {
  db ??= openDB<ReportDB>("evalbench-reports", 1, {
    upgrade(database) {
      database.createObjectStore("reports").createIndex("savedAt", "savedAt");
    },
  });
  return db;
}

const storedKey = (key: string) => JSON.stringify([BUILD, key]);

/** The report stored under `key`, if any. A browser without IndexedDB (or one refusing it) has none. */
export async function storedReport<T>(key: string): Promise<T | undefined> {
  try {
    return ((await (await database()).get("reports", storedKey(key))) as Stored<T> | undefined)?.value;
  } catch (error) {
    // the store is a shortcut: without it the report is computed
    console.warn(`evalbench: stored comparison reports cannot be read (${(error as Error).message}); computing the report`);
    return undefined;
  }
}

/** Keeps a report under `key`, dropping the oldest beyond MAX_REPORTS. */
export async function storeReport(key: string, value: unknown): Promise<void> {
  try {
    const store = (await database()).transaction("reports", "readwrite").store;
    await store.put({ savedAt: Date.now(), value }, storedKey(key));
    let excess = (await store.count()) - MAX_REPORTS;
    for (let cursor = await store.index("savedAt").openCursor(); cursor && excess > 0; cursor = await cursor.continue(), excess--) await cursor.delete();
  } catch (error) {
    console.warn(`evalbench: a comparison report cannot be stored (${(error as Error).message}); the next visit computes it again`);
  }
}
