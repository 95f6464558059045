/** A bucket and a key prefix, from `s3://BUCKET/PREFIX`. */
export interface S3Location {
  bucket: string;
  /** No leading or trailing slash; "" for the bucket's root. */
  prefix: string;
}

/** S3's rules for bucket names (3 to 63 lowercase letters, digits, dots and hyphens). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export const isS3Url = (value: string) => value.startsWith("s3://");

export function parseS3Url(value: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(value);
  if (!match || !BUCKET.test(match[1])) {
    throw new Error(`${value} is not an S3 location: write s3://BUCKET/PREFIX, with a bucket name of 3 to 63 lowercase letters, digits, dots and hyphens`);
  }
  const prefix = match[2].replace(/\/+$/, "");
  if (prefix !== "" && prefix.split("/").some((part) => part === "" || part === "." || part === "..")) {
    throw new Error(`${value}: the prefix must be plain names separated by single slashes`);
  }
  return { bucket: match[1], prefix };
}

/**
 * The endpoint requests go to: AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL (MinIO, R2, any S3 API),
 * else AWS S3 itself. Credentials, profile and region come from the standard AWS environment.
 */
export function s3Endpoint(): string | undefined {
  return process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL || undefined;
}

/** The object key of `path` under the location's prefix. */
export const objectKey = (location: S3Location, path: string) => (location.prefix ? `${location.prefix}/${path}` : path);
