import fs from "node:fs";
import path from "node:path";

/** A path inside the work folder; one that leads out of it is refused. */
function inside(workFolder: string, relative: string): string {
  const full = path.resolve(workFolder, relative);
  if (full !== workFolder && !full.startsWith(workFolder + path.sep)) throw new Error(`${relative} is outside the sandbox's work folder`);
  return full;
}

async function chownTree(target: string, uid: number): Promise<void> {
  await fs.promises.lchown(target, uid, uid);
  if (!(await fs.promises.lstat(target)).isDirectory()) return;
  for (const entry of await fs.promises.readdir(target)) await chownTree(path.join(target, entry), uid);
}

/**
 * Copies a host folder into the work folder (links kept as links: they resolve inside the
 * sandbox), owned by the sandbox's user when it has its own, so the code may change its files.
 */
export async function copyIn(workFolder: string, from: string, to: string, owner: number | null): Promise<void> {
  const target = inside(workFolder, to);
  await fs.promises.cp(from, target, { recursive: true, verbatimSymlinks: true });
  if (owner !== null) await chownTree(target, owner);
}

/**
 * Copies what the code wrote under the work folder to a host folder. Only folders and regular
 * files come out: the code may have planted a link to a host file, which must never be read.
 */
export async function copyOut(workFolder: string, from: string, to: string): Promise<void> {
  const walk = async (source: string, target: string, shown: string): Promise<void> => {
    const stat = await fs.promises.lstat(source);
    if (stat.isDirectory()) {
      await fs.promises.mkdir(target, { recursive: true });
      for (const entry of await fs.promises.readdir(source)) await walk(path.join(source, entry), path.join(target, entry), `${shown}/${entry}`);
    } else if (stat.isFile()) {
      await fs.promises.copyFile(source, target);
    } else {
      throw new Error(`the sandbox's ${shown} is ${stat.isSymbolicLink() ? "a link" : "not a file or folder"}; only files and folders are taken out of a sandbox`);
    }
  };
  await walk(inside(workFolder, from), to, from);
}
