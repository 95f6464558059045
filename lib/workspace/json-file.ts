import fs from "node:fs";
import path from "node:path";

/** Writes `value` as JSON to `file` whole: a temp file renamed over it, so a reader never sees half of it. */
export function writeJsonFile(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(value, null, 2));
  fs.renameSync(`${file}.tmp`, file);
}

/**
 * Every `*.json` record in `dir`, none when the folder does not exist yet (nothing was recorded);
 * an unreadable one is named on stderr, as the `what` record it should have been, and skipped.
 */
export function readJsonRecords<T>(dir: string, what: string): T[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((name) => name.endsWith(".json"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return names.flatMap((name) => {
    const file = path.join(dir, name);
    try {
      return [JSON.parse(fs.readFileSync(file, "utf8")) as T];
    } catch (error) {
      console.error(`evalbench: skipping the unreadable ${what} record ${file}: ${(error as Error).message}`);
      return [];
    }
  });
}
