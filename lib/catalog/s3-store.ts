import { ObjectExistsError, type S3Objects } from "@/lib/s3/objects";
import { AlreadyExistsError, ObjectReplacedError, type CatalogStore, type OpenedObject } from "./store";

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

  read(key: string): Promise<Buffer | null> {
    return this.objects.read(key);
  }

  /**
   * The object's version (ETag) read by Range requests: a listing downloads only the index's
   * columns it decodes (10 of its 107 MB for 100,000 runs), and nothing but a HEAD while the
   * index is unchanged. A part asked for after the object was replaced fails (If-Match).
   */
  async open(key: string): Promise<OpenedObject | null> {
    const head = await this.objects.head(key);
    if (head === null) return null;
    return {
      version: head.etag,
      byteLength: head.size,
      slice: async (start, end = head.size) => {
        const part = await this.objects.readVersionRange(key, head.etag, start, end);
        if (part === null) throw new ObjectReplacedError(`${this.location}/${key} was replaced while it was read`);
        return part.buffer.slice(part.byteOffset, part.byteOffset + part.byteLength) as ArrayBuffer;
      },
      close: async () => {},
    };
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
