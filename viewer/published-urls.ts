import type { PublishedRun } from "@/lib/publish/published-index";

const absolute = (path: string) => new URL(path, window.location.href).href;
const byRun = new Map<string, { records: string; compare?: string }>();

/**
 * Where a published run's copies are, as absolute addresses (workers resolve relative ones
 * against their own script); one object per run, so hooks keyed on it stay put.
 */
export function publishedUrls(run: PublishedRun): { records: string; compare?: string } {
  let urls = byRun.get(run.manifest.run_id);
  if (!urls) {
    urls = { records: absolute(run.records.path), compare: run.compare ? absolute(run.compare.path) : undefined };
    byRun.set(run.manifest.run_id, urls);
  }
  return urls;
}
