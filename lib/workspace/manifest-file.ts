import fs from "node:fs";
import path from "node:path";
import { parseManifest, type RunManifest } from "@/lib/schema";
import { diskFull } from "./disk-full";
import { MANIFEST_FILE } from "./paths";

/**
 * Writes run.json atomically (temp file + rename), so a reader never sees half a manifest. A
 * failed write (a full disk) removes its temp file and leaves the previous run.json as it was.
 * Returns the text written (the catalog records its size and hash).
 */
export function writeManifest(dir: string, manifest: RunManifest): string {
  const target = path.join(dir, MANIFEST_FILE);
  const temp = `${target}.${process.pid}.tmp`;
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  try {
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, target);
    return text;
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw diskFull(error, dir);
  }
}

/** Reads and validates run.json; throws an error that names the file and what is wrong. */
export function readManifest(dir: string): RunManifest {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  return parseManifest(json, file);
}
