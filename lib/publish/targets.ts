import fs from "node:fs";
import path from "node:path";
import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { s3Client, s3ErrorMessage } from "@/lib/s3/client";
import { objectKey, type S3Location } from "@/lib/s3/location";
import { ENTRY_FILES, INDEX_FILE } from "./published-index";

/**
 * Where a staged viewer goes, all or nothing. `prepare` refuses a target that already holds a
 * viewer before anything is written; `commit` moves the staged folder in.
 */
export interface PublishTarget {
  /** The folder to stage into. */
  stage: string;
  prepare(): Promise<void>;
  commit(): Promise<void>;
  /** Removes what a failed publish staged. */
  abandon(): void;
}

const refuseExisting = (where: string) =>
  new Error(`${where} already holds a published viewer, which never changes: publish to a new folder or prefix`);

/** A local folder: staged beside it, then renamed into place, so the folder appears whole or not at all. */
export function folderTarget(out: string): PublishTarget {
  const target = path.resolve(out);
  const stage = path.join(path.dirname(target), `.${path.basename(target)}.partial-${process.pid}`);
  return {
    stage,
    async prepare() {
      if (fs.existsSync(target)) throw refuseExisting(target);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.mkdirSync(stage);
    },
    async commit() {
      try {
        fs.renameSync(stage, target);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw code === "ENOTEMPTY" || code === "EEXIST" ? refuseExisting(target) : error;
      }
    },
    abandon: () => fs.rmSync(stage, { recursive: true, force: true }),
  };
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
};

function filesUnder(dir: string, prefix = ""): string[] {
  return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const name = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? filesUnder(dir, name) : [name];
  });
}

/** Objects uploaded at once. */
const UPLOADS_AT_ONCE = 4;

async function upload(client: S3Client, location: S3Location, stage: string, file: string): Promise<void> {
  await new Upload({
    client,
    params: {
      Bucket: location.bucket,
      Key: objectKey(location, file),
      Body: fs.createReadStream(path.join(stage, file)),
      ContentType: CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream",
      // every object of a viewer is written once and never changed
      CacheControl: ENTRY_FILES.includes(file) ? "no-cache" : "public, max-age=31536000, immutable",
    },
  }).done();
}

/**
 * A bucket prefix: staged locally, then uploaded with the index and the pages last, so the link
 * opens nothing until every file it needs is there. An interrupted upload leaves objects no page
 * refers to; publishing to the same prefix again overwrites them.
 */
export function s3Target(location: S3Location, stage: string): PublishTarget {
  const client = s3Client();
  const fail = (error: unknown): never => {
    throw new Error(s3ErrorMessage(error, location));
  };
  return {
    stage,
    async prepare() {
      // One listing of the index's key, not HeadBucket and HeadObject: a refusal then has a body,
      // so the message names S3's reason (InvalidAccessKeyId, NoSuchBucket, AccessDenied).
      const index = objectKey(location, INDEX_FILE);
      const listed = await client.send(new ListObjectsV2Command({ Bucket: location.bucket, Prefix: index })).catch(fail);
      if (listed.Contents?.some((object) => object.Key === index)) throw refuseExisting(`s3://${location.bucket}/${location.prefix}`);
      fs.mkdirSync(stage, { recursive: true });
    },
    async commit() {
      const files = filesUnder(stage);
      const first = files.filter((file) => !ENTRY_FILES.includes(file));
      for (let i = 0; i < first.length; i += UPLOADS_AT_ONCE) {
        // every upload of a batch settles before a failure is reported: none goes on afterwards
        const settled = await Promise.allSettled(first.slice(i, i + UPLOADS_AT_ONCE).map((file) => upload(client, location, stage, file)));
        const failed = settled.find((result) => result.status === "rejected");
        if (failed) fail(failed.reason);
      }
      for (const file of ENTRY_FILES) await upload(client, location, stage, file).catch(fail);
      fs.rmSync(stage, { recursive: true, force: true });
    },
    abandon: () => fs.rmSync(stage, { recursive: true, force: true }),
  };
}
