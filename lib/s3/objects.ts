import fs from "node:fs";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { s3Client, s3ErrorMessage } from "./client";
import { objectKey, type S3Location } from "./location";

export interface ObjectInfo {
  /** The key below the location's prefix. */
  key: string;
  size: number;
  modified: Date;
}

/** A write-once object that exists already; `winner` holds its bytes when another write won the read-back. */
export class ObjectExistsError extends Error {
  constructor(
    message: string,
    readonly winner: Buffer | null = null,
  ) {
    super(message);
  }
}

const status = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

/**
 * The objects under one `s3://BUCKET/PREFIX`, addressed by keys relative to the prefix: list,
 * read (whole or a byte range), write once, replace, upload a file, delete. Every failure is one
 * line naming the bucket and endpoint (s3ErrorMessage), never a credential.
 */
export class S3Objects {
  constructor(
    readonly location: S3Location,
    private readonly client: S3Client = s3Client(),
  ) {}

  get url(): string {
    return `s3://${this.location.bucket}${this.location.prefix ? `/${this.location.prefix}` : ""}`;
  }

  private fail(error: unknown): never {
    throw new Error(s3ErrorMessage(error, this.location));
  }

  private key(key: string): string {
    return objectKey(this.location, key);
  }

  /**
   * Every object whose key starts with `prefix`, in key order, 1,000 a request (the most S3, MinIO
   * and R2 give; a server that answers others between pages, s3rver among them, stays responsive).
   */
  async list(prefix: string): Promise<ObjectInfo[]> {
    const strip = this.key("").length;
    const found: ObjectInfo[] = [];
    let token: string | undefined;
    do {
      const page = await this.client
        .send(new ListObjectsV2Command({ Bucket: this.location.bucket, Prefix: this.key(prefix), ContinuationToken: token }))
        .catch((error) => this.fail(error));
      for (const item of page.Contents ?? []) found.push({ key: item.Key!.slice(strip), size: item.Size ?? 0, modified: item.LastModified ?? new Date(0) });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return found;
  }

  /** The object's bytes, or null when there is no such object. */
  async read(key: string): Promise<Buffer | null> {
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: this.key(key) }));
      return Buffer.from(await answer.Body!.transformToByteArray());
    } catch (error) {
      if ((error as Error).name === "NoSuchKey") return null;
      return this.fail(error);
    }
  }

  /** An object's size in bytes and ETag (which changes when it is replaced), or null when there is no such object: one HEAD request. */
  async head(key: string): Promise<{ size: number; etag: string } | null> {
    try {
      const answer = await this.client.send(new HeadObjectCommand({ Bucket: this.location.bucket, Key: this.key(key) }));
      return { size: answer.ContentLength ?? 0, etag: answer.ETag ?? "" };
    } catch (error) {
      if (status(error) === 404) return null;
      return this.fail(error);
    }
  }

  /** An object's size in bytes, or null when there is no such object: one HEAD request. */
  async size(key: string): Promise<number | null> {
    return (await this.head(key))?.size ?? null;
  }

  /** Bytes [start, end) of an object, by one Range request. */
  async readRange(key: string, start: number, end: number): Promise<Uint8Array> {
    const answer = await this.client
      .send(new GetObjectCommand({ Bucket: this.location.bucket, Key: this.key(key), Range: `bytes=${start}-${end - 1}` }))
      .catch((error) => this.fail(error));
    return answer.Body!.transformToByteArray();
  }

  /** readRange of one version of the object (If-Match its ETag); null once the object was replaced or removed. */
  async readVersionRange(key: string, etag: string, start: number, end: number): Promise<Uint8Array | null> {
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: this.key(key), Range: `bytes=${start}-${end - 1}`, IfMatch: etag }));
      return await answer.Body!.transformToByteArray();
    } catch (error) {
      if (status(error) === 412 || (error as Error).name === "NoSuchKey") return null;
      return this.fail(error);
    }
  }

  /** Bytes [start, end) of an object as a stream, requested when first read. */
  readStream(key: string, start: number, end: number): ReadableStream<Uint8Array> {
    let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
    return new ReadableStream({
      pull: async (controller) => {
        if (!reader) {
          const answer = await this.client
            .send(new GetObjectCommand({ Bucket: this.location.bucket, Key: this.key(key), Range: `bytes=${start}-${end - 1}` }))
            .catch((error) => this.fail(error));
          reader = (answer.Body!.transformToWebStream() as ReadableStream<Uint8Array>).getReader();
        }
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel: () => reader?.cancel(),
    });
  }

  /** Saves an object into a local file. */
  async download(key: string, file: string): Promise<void> {
    const answer = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: this.key(key) })).catch((error) => this.fail(error));
    await pipeline(answer.Body as Readable, fs.createWriteStream(file)).catch((error) => this.fail(error));
  }

  /**
   * Writes an object that must not exist yet. The request carries `If-None-Match: *`, which S3
   * (since 2024), MinIO and R2 enforce atomically; servers that ignore it (s3rver) are checked by
   * a listing first, which leaves a short race between two writers (docs/deploying.md).
   */
  async writeOnce(key: string, body: string | Buffer): Promise<void> {
    if ((await this.list(key)).some((o) => o.key === key)) throw new ObjectExistsError(`${this.url}/${key} exists already`);
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.location.bucket, Key: this.key(key), Body: body, IfNoneMatch: "*" }));
    } catch (error) {
      if (status(error) === 412 || status(error) === 409) throw new ObjectExistsError(`${this.url}/${key} exists already`);
      this.fail(error);
    }
  }

  /**
   * writeOnce, then the object read back: on a server that ignores If-None-Match the last of two
   * simultaneous writes wins, and only its writer reads its own bytes. A race remains when the
   * second write lands after the first writer's read-back (docs/deploying.md). An object gone by
   * the read-back was created, and deleted since (a catalog entry compacted at once).
   */
  async createOnce(key: string, body: string | Buffer): Promise<void> {
    await this.writeOnce(key, body);
    const held = await this.read(key);
    if (held !== null && !held.equals(Buffer.from(body))) throw new ObjectExistsError(`${this.url}/${key} was written by another writer at the same moment`, held);
  }

  /** Writes an object, replacing any there. */
  async replace(key: string, body: string | Buffer): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.location.bucket, Key: this.key(key), Body: body })).catch((error) => this.fail(error));
  }

  /** Uploads a local file (in parts when large), replacing any object there. */
  async upload(key: string, file: string): Promise<void> {
    await new Upload({ client: this.client, params: { Bucket: this.location.bucket, Key: this.key(key), Body: fs.createReadStream(file) } })
      .done()
      .catch((error) => this.fail(error));
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.location.bucket, Key: this.key(key) })).catch((error) => this.fail(error));
  }
}
