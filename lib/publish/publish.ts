import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { isS3Url, parseS3Url } from "@/lib/s3/location";
import { s3HttpUrl } from "@/lib/s3/client";
import { suiteReportOnDisk } from "@/lib/series/on-disk";
import { seriesSummary } from "@/lib/series/report";
import { decodeSeriesView, encodeSeriesView, seriesOptions, type SeriesView } from "@/lib/series/view";
import { encodeView } from "@/lib/share/view-state";
import { listRuns } from "@/lib/catalog/list";
import { COMPARE_PAGE, HOME_PAGE, SERIES_PAGE, type PublishedIndex } from "./published-index";
import { stageViewer } from "./stage";
import { folderTarget, s3Target } from "./targets";

export interface PublishRequest {
  workspace: string;
  /** The comparison the link opens (its runs are published), or null. */
  compare: { a: string; b: string } | null;
  /** Further runs to publish. */
  runs: string[];
  /** A series view to publish with every checkpoint's run: the app's /series address or its parameters; the link opens it. */
  series: string | null;
  /** A folder, or s3://BUCKET/PREFIX. */
  to: string;
  text: boolean;
  /** Where the folder will be served; the link is relative to the folder without it (an S3 target has its own). */
  baseUrl: string | null;
}

/**
 * The series view that `--series` names: the app's series address (`http://HOST/series?line=...`)
 * or its parameters (`line=MODEL&line=OTHER&task=TASK` or `suite=NAME`, optionally metric, k,
 * margin and the trajectory view's), so a view open in the app is published by pasting its address.
 */
export function seriesViewOf(text: string): SeriesView {
  const view = decodeSeriesView(new URLSearchParams(text.includes("?") ? text.slice(text.indexOf("?") + 1) : text));
  if (view.lines.length === 0 || !(view.task || view.suite)) {
    throw new Error(`--series ${text} names no ${view.lines.length === 0 ? "model line" : "task"}: give the app's series parameters, e.g. 'line=MODEL&line=OTHER&task=gsm8k' (or suite=NAME)`);
  }
  if (view.task && view.suite) throw new Error(`--series ${text} names a task and a suite: name one of them`);
  return view;
}

/** The link to the published view: the series or the comparison with the app's parameters, else the list of runs. */
export function publishedLink(index: PublishedIndex, base: string, series: SeriesView | null = null): string {
  const folder = base === "" || base.endsWith("/") ? base : `${base}/`;
  if (series) return `${folder}${SERIES_PAGE}?${encodeSeriesView(series)}`;
  if (!index.compare) return `${folder}${HOME_PAGE}`;
  const pin = (id: string) => index.runs.find((run) => run.manifest.run_id === id)!.pin;
  return `${folder}${COMPARE_PAGE}?${encodeView({ ...index.compare, pinA: pin(index.compare.a), pinB: pin(index.compare.b) })}`;
}

/**
 * Publishes a read-only viewer of the runs to a folder or a bucket prefix, atomically: an
 * interrupted publish leaves nothing at the link. Returns the link.
 */
export async function publish(request: PublishRequest): Promise<{ link: string; index: PublishedIndex }> {
  const series = request.series === null ? null : seriesViewOf(request.series);
  const suite = series?.suite ? { view: series, report: await suiteReportOnDisk(request.workspace, { lines: series.lines, suite: series.suite, k: series.k, tieMargin: series.margin }) } : null;
  // a suite's page links each member task's series: they are published with it
  const taskViews = !series ? [] : suite ? suite.report.tasks.map((task) => ({ ...series, suite: null, task, metric: null })) : [series];
  // every checkpoint the series show; the ones they cannot show (failed, running) stay out, named in their notes
  const entries = await listRuns(request.workspace);
  const seriesRuns = taskViews.flatMap((view) => seriesSummary(entries, seriesOptions(view)).lines.flatMap((l) => l.points.map((p) => p.run_id)));
  const runIds = [...new Set([...(request.compare ? [request.compare.a, request.compare.b] : []), ...request.runs, ...seriesRuns])];
  if (runIds.length === 0) throw new Error("nothing to publish: name runs, --compare A B, or --series 'line=MODEL&task=TASK'");
  if (request.compare && request.compare.a === request.compare.b) throw new Error(`--compare needs two different runs, not ${request.compare.a} twice`);
  const s3 = isS3Url(request.to) ? parseS3Url(request.to) : null;
  const target = s3 ? s3Target(s3, fs.mkdtempSync(path.join(os.tmpdir(), "evalbench-publish-"))) : folderTarget(request.to);
  try {
    await target.prepare();
    const index = await stageViewer(target.stage, { workspace: request.workspace, runIds, compare: request.compare, series: taskViews, suite, text: request.text });
    await target.commit();
    const base = request.baseUrl ?? (s3 ? s3HttpUrl(s3) : request.to);
    return { link: publishedLink(index, base, series), index };
  } catch (error) {
    target.abandon();
    throw error;
  }
}
