import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { s3Client, s3ErrorMessage } from "@/lib/s3/client";
import { isS3Url, objectKey, parseS3Url } from "@/lib/s3/location";

/**
 * Checks that a bucket workspace answers (it exists, the credentials are taken), by one listing of
 * the prefix's top level (`runs/`, `index/`: a few entries however many runs), for work that
 * would otherwise fail later somewhere else (a Slurm job on its node, a watcher's first
 * checkpoint). A folder workspace passes.
 */
export async function checkWorkspaceReachable(workspace: string): Promise<void> {
  if (!isS3Url(workspace)) return;
  const location = parseS3Url(workspace);
  await s3Client()
    .send(new ListObjectsV2Command({ Bucket: location.bucket, Prefix: objectKey(location, ""), Delimiter: "/" }))
    .catch((error: unknown) => {
      throw new Error(s3ErrorMessage(error, location));
    });
}
