import { S3Client } from "@aws-sdk/client-s3";
import { s3Endpoint, type S3Location } from "./location";

export function s3Client(): S3Client {
  // the SDK's notice that its releases from 2027 on need Node 22: evalbench runs on Node 20 and
  // installs releases whose engines match it; the notice would end up in every verb's output
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const endpoint = s3Endpoint();
  return new S3Client({
    endpoint,
    // S3-compatible servers (MinIO, s3rver) address buckets by path; AWS and R2 accept that too
    forcePathStyle: endpoint !== undefined,
    region: process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || (endpoint ? "us-east-1" : undefined),
    // Every body evalbench sends is in memory, so SigV4 signs its SHA-256, which S3 and MinIO check:
    // the CRC32 the SDK adds by default (since 3.729) would be a second pass over every byte for
    // no more safety. Requests that need a checksum (DeleteObjects) still get one.
    requestChecksumCalculation: "WHEN_REQUIRED",
  });
}

/** The location's address over HTTP, for links: path style on a custom endpoint, virtual-hosted on AWS. */
export function s3HttpUrl({ bucket, prefix }: S3Location): string {
  const endpoint = s3Endpoint();
  const folder = prefix ? `${prefix}/` : "";
  if (endpoint) return `${endpoint.replace(/\/+$/, "")}/${bucket}/${folder}`;
  const region = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || "us-east-1";
  return `https://${bucket}.s3.${region}.amazonaws.com/${folder}`;
}

/**
 * One line for a failed request: the bucket and endpoint, what went wrong and what to check;
 * never a credential.
 */
export function s3ErrorMessage(error: unknown, { bucket }: S3Location): string {
  const where = `bucket ${bucket} at ${s3Endpoint() ?? "AWS S3"}`;
  const e = error as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  const name = e.name ?? e.code ?? "";
  if (name === "NoSuchBucket" || (status === 404 && name === "NotFound")) return `${where} does not exist: create it, or check the bucket name`;
  if (status === 403 || /AccessDenied|InvalidAccessKeyId|SignatureDoesNotMatch|Forbidden/.test(name)) {
    return `${where} refused the credentials (${name || status}): check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE`;
  }
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|TimeoutError/.test(`${name} ${e.code ?? ""} ${e.message ?? ""}`)) {
    return `cannot reach ${where} (${(e.message ?? name).split("\n")[0]}): check AWS_ENDPOINT_URL and that the server is up`;
  }
  if (/Region is missing/.test(e.message ?? "")) return `no AWS region for ${where}: set AWS_REGION`;
  if (/credential/i.test(e.message ?? "")) return `no credentials for ${where}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE`;
  return `${where} failed: ${(e.message ?? name).split("\n")[0]}`;
}
