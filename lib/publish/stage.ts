import fs from "node:fs";
import path from "node:path";
import type { RunManifest, RunStatus } from "@/lib/schema";
import { PIN_LENGTH } from "@/lib/share/view-state";
import { DUCKDB_ASSETS, duckdbDist } from "@/scripts/duckdb-assets.mjs";
import { COMPARE_FILE, RECORDS_FILE } from "@/lib/workspace/paths";
import { copyRunFile, runExists, workspaceRun } from "@/lib/workspace/store";
import { fileSha256 } from "@/lib/workspace/sha256";
import { recordsWithoutText } from "./no-text";
import { matrixReportOnDisk, seriesReportOnDisk, trajectoriesOnDisk } from "@/lib/series/on-disk";
import { reportPart } from "@/lib/series/report";
import type { SuiteReport } from "@/lib/series/suite";
import { seriesOptions, seriesServerQuery, type SeriesView } from "@/lib/series/view";
import { COMPARE_PAGE, HOME_PAGE, INDEX_FILE, INDEX_FORMAT, MATRIX_PAGE, RUN_PAGE, SERIES_PAGE, type PublishedFile, type PublishedIndex, type PublishedMatrix, type PublishedRun, type PublishedSeries } from "./published-index";
import { viewerBundle } from "./viewer-bundle";

export interface StageRequest {
  workspace: string;
  runIds: string[];
  compare: { a: string; b: string } | null;
  /** The task series to publish (their runs are among runIds). */
  series: SeriesView[];
  /** A suite's series, computed, whose member tasks are the series above. */
  suite: { view: SeriesView; report: SuiteReport } | null;
  text: boolean;
}

/**
 * The page shell: the bundle does the rest. Its content security policy lets the page reach
 * nothing but its own origin, whatever the bundle or the runs' text hold.
 */
const page = (title: string) => `<!doctype html>
<html lang="en" data-asset-root="./">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; worker-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'">
<title>${title}</title>
<link rel="icon" href="data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'><rect width='16' height='16' rx='3' fill='%232456c7'/></svg>">
<link rel="stylesheet" href="viewer/main.css">
</head>
<body>
<div id="root"></div>
<script type="module" src="viewer/main.js"></script>
</body>
</html>
`;

/** A finalized, intact run: anything else has no content hash to pin. */
async function finalizedRun(workspace: string, runId: string): Promise<{ manifest: RunManifest; status: RunStatus }> {
  const entry = await workspaceRun(workspace, runId, { verify: true });
  if (!entry.ok) {
    throw new Error((await runExists(workspace, runId)) ? `run ${runId} cannot be read: ${entry.error}` : `no run ${runId} in ${workspace}; \`evalbench ls\` lists the runs`);
  }
  if (!entry.manifest.records) throw new Error(`run ${runId} is ${entry.status} and has no records.parquet yet: publish runs once they are finalized`);
  return { manifest: entry.manifest, status: entry.status };
}

function copyInto(stage: string, from: string, to: string): string {
  const target = path.join(stage, to);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(from, target, fs.constants.COPYFILE_FICLONE);
  return target;
}

/** The manifest as published: without the writer's host and process or the imported file's local path. */
const publicManifest = (manifest: RunManifest): RunManifest => ({ ...manifest, writer: null, source: { ...manifest.source, path: null } });

/** Hashed once in the stage: the index names exactly the bytes published. */
const publishedFile = (stage: string, to: string): PublishedFile => ({ path: to, sha256: fileSha256(path.join(stage, to)), bytes: fs.statSync(path.join(stage, to)).size });

async function stageRun(stage: string, workspace: string, { manifest, status }: { manifest: RunManifest; status: RunStatus }, text: boolean): Promise<PublishedRun> {
  const runId = manifest.run_id;
  const folder = `runs/${encodeURIComponent(runId)}`;
  const records = `${folder}/${RECORDS_FILE}`;
  // the whole records file is copied (and checked against run.json's sha256), then stripped of text if asked
  const copy = text ? records : `${records}.with-text`;
  await copyRunFile(workspace, runId, RECORDS_FILE, path.join(stage, copy));
  if (fileSha256(path.join(stage, copy)) !== manifest.records!.sha256) throw new Error(`run ${runId} changed while it was being published (its records' sha256 is not run.json's): publish again`);
  if (!text) {
    fs.writeFileSync(path.join(stage, records), await recordsWithoutText(path.join(stage, copy), runId));
    fs.rmSync(path.join(stage, copy));
  }
  const published = publishedFile(stage, records);
  const compareFile = `${folder}/${COMPARE_FILE}`;
  if (manifest.records!.compare) await copyRunFile(workspace, runId, COMPARE_FILE, path.join(stage, compareFile));
  const compare = manifest.records!.compare ? publishedFile(stage, compareFile) : null;
  return { manifest: publicManifest(manifest), status, pin: manifest.records!.sha256.slice(0, PIN_LENGTH), records: published, compare };
}

/** Writes a JSON answer into the stage. */
function writeJson(stage: string, file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(path.join(stage, file)), { recursive: true });
  fs.writeFileSync(path.join(stage, file), JSON.stringify(value));
}

/**
 * The matrix of each task with several published runs, and of each series line (the series page
 * links its first line's), computed now by the code behind /api/matrix and `evalbench matrix`, so
 * the viewer shows their figures to the last digit.
 */
async function stageMatrices(stage: string, workspace: string, runs: PublishedRun[], lines: string[][]): Promise<PublishedMatrix[]> {
  const byTask = new Map<string, string[]>();
  for (const run of runs) byTask.set(run.manifest.task.name, [...(byTask.get(run.manifest.task.name) ?? []), run.manifest.run_id]);
  const task = (id: string) => runs.find((run) => run.manifest.run_id === id)!.manifest.task.name;
  const matrices: PublishedMatrix[] = [];
  for (const ids of [...byTask.values(), ...lines]) {
    const query = new URLSearchParams(ids.map((id) => ["run", id])).toString();
    if (ids.length < 2 || matrices.some((m) => m.query === query)) continue;
    const file = `matrix/${matrices.length}.json`;
    writeJson(stage, file, await matrixReportOnDisk(workspace, ids));
    matrices.push({ task: task(ids[0]), query, path: file });
  }
  return matrices;
}

/**
 * A series view, computed now by the code behind `evalbench series --json`: the whole report,
 * each part the page asks for cut from it, and every line's question trajectories, each at the
 * /api/series address the app's page fetches it from.
 */
async function stageSeries(stage: string, workspace: string, view: SeriesView, folder: string): Promise<{ series: PublishedSeries; lineRuns: string[][] }> {
  const options = seriesOptions(view);
  const query = seriesServerQuery(view);
  const report = await seriesReportOnDisk(workspace, options);
  const answers: Record<string, string> = {};
  const answer = (url: string, value: unknown) => {
    answers[url] = `${folder}/${Object.keys(answers).length}.json`;
    writeJson(stage, answers[url], value);
  };
  answer(`/api/series?${query}`, report);
  answer(`/api/series?${query}&part=changes`, reportPart(report, { part: "changes" }));
  for (let line = 0; line < report.lines.length; line++) {
    answer(`/api/series?${query}&part=flips&of=${line}`, reportPart(report, { part: "flips", line }));
    answer(`/api/series?${query}&part=differences&of=${line}`, reportPart(report, { part: "differences", line }));
    answer(`/api/series/trajectories?${query}&traj=${line}`, await trajectoriesOnDisk(workspace, options, line));
  }
  return { series: { task: report.task, suite: null, lines: report.lines.map((l) => l.model), query, answers }, lineRuns: report.lines.map((l) => l.points.map((p) => p.run_id)) };
}

/** A suite's series: its report, computed by the code behind `evalbench series --suite --json`, at the address the series page reads. */
function stageSuite(stage: string, { view, report }: { view: SeriesView; report: SuiteReport }): PublishedSeries {
  const query = seriesServerQuery(view);
  const file = "series/suite.json";
  writeJson(stage, file, report);
  return { task: null, suite: report.suite, lines: view.lines, query, answers: { [`/api/series?${query}`]: file } };
}

/**
 * Writes a whole viewer into `stage` (an empty folder): the bundle, DuckDB-WASM, copies of the
 * runs' Parquet files, index.json and the pages. Returns the index.
 */
export async function stageViewer(stage: string, request: StageRequest): Promise<PublishedIndex> {
  // every run is checked before anything is copied
  const checked = await Promise.all(request.runIds.map((runId) => finalizedRun(request.workspace, runId)));
  const bundle = await viewerBundle();
  fs.cpSync(bundle, path.join(stage, "viewer"), { recursive: true });
  const duckdb = duckdbDist();
  for (const name of DUCKDB_ASSETS) copyInto(stage, path.join(duckdb.dir, name), `duckdb/${duckdb.version}/${name}`);
  const runs: PublishedRun[] = [];
  for (const run of checked) runs.push(await stageRun(stage, request.workspace, run, request.text));
  const staged: Awaited<ReturnType<typeof stageSeries>>[] = [];
  for (const [i, view] of request.series.entries()) staged.push(await stageSeries(stage, request.workspace, view, `series/${i}`));
  const series = [...(request.suite ? [stageSuite(stage, request.suite)] : []), ...staged.map((s) => s.series)];
  const matrices = await stageMatrices(stage, request.workspace, runs, staged.flatMap((s) => s.lineRuns));
  const index: PublishedIndex = { format: INDEX_FORMAT, published_at: new Date().toISOString(), text: request.text, compare: request.compare, runs, matrices, series };
  fs.writeFileSync(path.join(stage, INDEX_FILE), JSON.stringify(index));
  fs.writeFileSync(path.join(stage, HOME_PAGE), page("evalbench · published runs"));
  fs.writeFileSync(path.join(stage, COMPARE_PAGE), page("evalbench · published comparison"));
  fs.writeFileSync(path.join(stage, MATRIX_PAGE), page("evalbench · published matrix"));
  fs.writeFileSync(path.join(stage, RUN_PAGE), page("evalbench · published run"));
  fs.writeFileSync(path.join(stage, SERIES_PAGE), page("evalbench · published series"));
  return index;
}
