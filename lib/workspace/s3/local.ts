import os from "node:os";
import path from "node:path";
import { isS3Url, parseS3Url, s3Endpoint, type S3Location } from "@/lib/s3/location";

/**
 * This machine's folder for a bucket workspace: the journals of the runs it writes (uploaded batch
 * by batch), task data and request caches. A cache: the bucket holds everything that counts.
 */
export function localMirror(location: S3Location): string {
  const endpoint = (s3Endpoint() ?? "aws").replace(/^https?:\/\//, "").replace(/[^A-Za-z0-9.-]+/g, "_");
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(cache, "evalbench", "s3", endpoint, location.bucket, ...location.prefix.split("/").filter(Boolean));
}

/** The local folder a workspace's caches and journals go to: the folder itself, or a bucket's local mirror. */
export function localWorkspace(workspace: string): string {
  return isS3Url(workspace) ? localMirror(parseS3Url(workspace)) : workspace;
}
