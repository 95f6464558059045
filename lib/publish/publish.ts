import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { isS3Url, parseS3Url } from "@/lib/s3/location";
import { s3HttpUrl } from "@/lib/s3/client";
import { encodeView } from "@/lib/share/view-state";
import { COMPARE_PAGE, HOME_PAGE, type PublishedIndex } from "./published-index";
import { stageViewer } from "./stage";
import { folderTarget, s3Target } from "./targets";

export interface PublishRequest {
  workspace: string;
  /** The comparison the link opens (its runs are published), or null. */
  compare: { a: string; b: string } | null;
  /** Further runs to publish. */
  runs: string[];
  /** A folder, or s3://BUCKET/PREFIX. */
  to: string;
  text: boolean;
  /** Where the folder will be served; the link is relative to the folder without it (an S3 target has its own). */
  baseUrl: string | null;
}

/** The link to the published view: the comparison with the app's share-link parameters, else the list of runs. */
export function publishedLink(index: PublishedIndex, base: string): string {
  const folder = base === "" || base.endsWith("/") ? base : `${base}/`;
  if (!index.compare) return `${folder}${HOME_PAGE}`;
  const pin = (id: string) => index.runs.find((run) => run.manifest.run_id === id)!.pin;
  return `${folder}${COMPARE_PAGE}?${encodeView({ ...index.compare, pinA: pin(index.compare.a), pinB: pin(index.compare.b) })}`;
}

/**
 * Publishes a read-only viewer of the runs to a folder or a bucket prefix, atomically: an
 * interrupted publish leaves nothing at the link. Returns the link.
 */
export async function publish(request: PublishRequest): Promise<{ link: string; index: PublishedIndex }> {
  const runIds = [...new Set([...(request.compare ? [request.compare.a, request.compare.b] : []), ...request.runs])];
  if (runIds.length === 0) throw new Error("nothing to publish: name runs, or --compare A B");
  if (request.compare && request.compare.a === request.compare.b) throw new Error(`--compare needs two different runs, not ${request.compare.a} twice`);
  const s3 = isS3Url(request.to) ? parseS3Url(request.to) : null;
  const target = s3 ? s3Target(s3, fs.mkdtempSync(path.join(os.tmpdir(), "evalbench-publish-"))) : folderTarget(request.to);
  try {
    await target.prepare();
    const index = await stageViewer(target.stage, { workspace: request.workspace, runIds, compare: request.compare, text: request.text });
    await target.commit();
    const base = request.baseUrl ?? (s3 ? s3HttpUrl(s3) : request.to);
    return { link: publishedLink(index, base), index };
  } catch (error) {
    target.abandon();
    throw error;
  }
}
