import fs from "node:fs";
import path from "node:path";
import { isS3Url } from "@/lib/s3/location";

/** writeOnce found the object already there: another writer made it first. */
export class AlreadyExistsError extends Error {
  constructor(readonly key: string) {
    super(`${key} already exists`);
  }
}

/** An opened object was replaced by another version while its parts were read: read it again. */
export class ObjectReplacedError extends Error {}

/**
 * Everything the catalog does to storage, so an object store (S3) can stand in for the workspace
 * folder without the catalog changing. Keys are `/`-separated paths relative to the workspace.
 */
export interface CatalogStore {
  /** Where the store is, for messages. */
  readonly location: string;
  /** The names (not keys) of the objects directly under `prefix`; empty when there is none. */
  list(prefix: string): Promise<string[]>;
  /** A small object's bytes, or null when it does not exist. */
  read(key: string): Promise<Buffer | null>;
  /** Creates an object that must not exist yet; AlreadyExistsError when it does. Never overwrites. */
  writeOnce(key: string, data: string | Uint8Array): Promise<void>;
  /** Removes an object; one already gone is fine. */
  delete(key: string): Promise<void>;
  /** Replaces an object whole: a reader sees the old bytes or the new ones, never a mix. */
  replace(key: string, data: string | Uint8Array): Promise<void>;
  /** An object's size in bytes, or null when it does not exist (the check that a run is still as indexed). */
  size(key: string): Promise<number | null>;
  /** A large object (the compacted file) opened for reading parts of it, or null when it does not exist. */
  open(key: string): Promise<OpenedObject | null>;
}

/** One version of an object, read by byte range: the parts a listing needs, without copying the rest. */
export interface OpenedObject {
  /** Changes whenever the object is replaced: a listing decodes it again only then. */
  readonly version: string;
  readonly byteLength: number;
  /** Bytes [start, end) of this version, in a buffer of their own (hyparquet's AsyncBuffer); ObjectReplacedError when that version is gone. */
  slice(start: number, end?: number): Promise<ArrayBuffer>;
  close(): Promise<void>;
}

/** The catalog's storage in a workspace folder on a local or shared filesystem. */
export class LocalStore implements CatalogStore {
  constructor(readonly location: string) {}

  private file(key: string): string {
    // join turns the key's slashes into the platform's separator (a listing makes 200,000 of these)
    return path.join(this.location, key);
  }

  async list(prefix: string): Promise<string[]> {
    try {
      return await fs.promises.readdir(this.file(prefix));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw new Error(`cannot list ${this.file(prefix)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}; check the workspace's permissions`);
    }
  }

  async read(key: string): Promise<Buffer | null> {
    try {
      return await fs.promises.readFile(this.file(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  async writeOnce(key: string, data: string | Uint8Array): Promise<void> {
    this.writeOnceSync(key, data);
  }

  /**
   * writeOnce for the run writer, whose state changes are synchronous: O_EXCL creates the file
   * or fails. The bytes go to a temp file first and are linked into place, so a reader never
   * sees a half-written object.
   */
  writeOnceSync(key: string, data: string | Uint8Array): void {
    const file = this.file(key);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temp = tempName(file);
    fs.writeFileSync(temp, data, { flag: "wx" });
    try {
      fs.linkSync(temp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new AlreadyExistsError(key);
      throw error;
    } finally {
      fs.rmSync(temp, { force: true });
    }
  }

  async delete(key: string): Promise<void> {
    await fs.promises.rm(this.file(key), { force: true });
  }

  async replace(key: string, data: string | Uint8Array): Promise<void> {
    const file = this.file(key);
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    const temp = tempName(file);
    try {
      await fs.promises.writeFile(temp, data, { flag: "wx" });
      await fs.promises.rename(temp, file);
    } catch (error) {
      await fs.promises.rm(temp, { force: true });
      throw error;
    }
  }

  async open(key: string): Promise<OpenedObject | null> {
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(this.file(key), "r");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
    // the open file stays this version while a compaction renames another into place
    const stat = await handle.stat({ bigint: true });
    return {
      version: `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}`,
      byteLength: Number(stat.size),
      async slice(start, end = Number(stat.size)) {
        const bytes = new Uint8Array(end - start);
        for (let at = 0; at < bytes.length; ) {
          const { bytesRead } = await handle.read(bytes, at, bytes.length - at, start + at);
          if (bytesRead === 0) throw new Error(`${key} ended at byte ${start + at} of ${stat.size}: it was cut short; run evalbench reindex`);
          at += bytesRead;
        }
        return bytes.buffer;
      },
      close: () => handle.close(),
    };
  }

  async size(key: string): Promise<number | null> {
    // synchronous inside: a listing checks two files per run, and 200,000 async stats cost more than the listing;
    // a missing file is undefined, not an exception to build (a removed run's folder is ENOTDIR below)
    try {
      return fs.statSync(this.file(key), { throwIfNoEntry: false })?.size ?? null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOTDIR") return null;
      throw error;
    }
  }
}

/** A temp name beside the file, unique to this process and call; readers skip names starting with a dot. */
function tempName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
}

/** The catalog store of a workspace: its folder, or its bucket (the S3 client loaded only then). */
export async function catalogStore(workspace: string): Promise<CatalogStore> {
  if (!isS3Url(workspace)) return new LocalStore(workspace);
  const [{ S3Store }, { S3Objects }, { parseS3Url }] = await Promise.all([import("./s3-store"), import("@/lib/s3/objects"), import("@/lib/s3/location")]);
  return new S3Store(new S3Objects(parseS3Url(workspace)));
}
