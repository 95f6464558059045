import { ObjectExistsError, type S3Objects } from "@/lib/s3/objects";
import { AlreadyExistsError, type CatalogStore } from "./store";

/** Objects from this size on are kept after a read, and downloaded again only when replaced. */
const KEEP_FROM_BYTES = 1_000_000;

/**
 * The last bytes read of each large object, with their ETag, per bucket location and key: the
 * compacted index (about 100 MB for 100,000 runs) is read at every listing, and changes only when
 * compacted.
 */
const kept = new Map<string, { etag: string; bytes: Buffer }>();

const bytes = (data: string | Uint8Array) => (typeof data === "string" ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength));

/**
 * The catalog's storage in a bucket workspace (`s3://BUCKET/PREFIX`). Objects are written whole,
 * so a reader never sees half of one. writeOnce is If-None-Match: * and a read-back
 * (S3Objects.createOnce): atomic on S3, MinIO and R2, a short race on servers that ignore the
 * condition (s3rver), which docs/schema.md spells out.
 */
export class S3Store implements CatalogStore {
  readonly location: string;

  constructor(readonly objects: S3Objects) {
    this.location = objects.url;
  }

  async list(prefix: string): Promise<string[]> {
    const under = `${prefix}/`;
    return [...new Set((await this.objects.list(under)).map((object) => object.key.slice(under.length).split("/")[0]))];
  }

  async read(key: string): Promise<Buffer | null> {
    const id = `${this.location}/${key}`;
    const known = kept.get(id);
    const answer = await this.objects.readChanged(key, known?.etag);
    if (answer === "unchanged") return known!.bytes;
    if (answer === null || answer.bytes.length < KEEP_FROM_BYTES || !answer.etag) kept.delete(id);
    else kept.set(id, answer);
    return answer && answer.bytes;
  }

  async writeOnce(key: string, data: string | Uint8Array): Promise<void> {
    try {
      await this.objects.createOnce(key, bytes(data));
    } catch (error) {
      if (error instanceof ObjectExistsError) throw new AlreadyExistsError(key);
      throw error;
    }
  }

  delete(key: string): Promise<void> {
    return this.objects.delete(key);
  }

  replace(key: string, data: string | Uint8Array): Promise<void> {
    return this.objects.replace(key, bytes(data));
  }

  size(key: string): Promise<number | null> {
    return this.objects.size(key);
  }
}
