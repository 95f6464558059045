import fs from "node:fs";
import path from "node:path";

// Temporary folders (sandbox work folders, import staging) carry the id of the process that made
// them, so whoever starts next can tell a dead process's leftovers from folders still in use.

/** The start of a temporary folder's name: `<prefix><pid>-`, for fs.mkdtemp. */
export function ownedPrefix(prefix: string): string {
  return `${prefix}${process.pid}-`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/**
 * Removes the folders in `dir` named `<prefix><pid>...` whose process is gone (killed, crashed);
 * `prepare` runs on each first (a sandbox unmounts its work folder's tmpfs).
 */
export function removeLeftovers(dir: string, prefix: string, prepare?: (folder: string) => void): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = name.startsWith(prefix) ? /^(\d+)(-|$)/.exec(name.slice(prefix.length))?.[1] : undefined;
    if (pid === undefined || alive(Number(pid))) continue;
    prepare?.(path.join(dir, name));
    fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}
