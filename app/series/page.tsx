import { SeriesPicker } from "@/components/series/series-picker";
import { SeriesScreen } from "@/components/series/series-screen";
import { SuiteScreen } from "@/components/series/suite-screen";
import { suiteReportOnDisk } from "@/lib/series/on-disk";
import type { SuiteReport } from "@/lib/series/suite";
import { suiteNames } from "@/lib/runner/suites";
import { SeriesInputError, seriesChoices } from "@/lib/series/lines";
import { seriesSummary, type SeriesSummary } from "@/lib/series/report";
import { decodeSeriesView, seriesOptions, SeriesViewError, type SeriesView } from "@/lib/series/view";
import { serverWorkspace } from "@/lib/server/workspace";
import { listRuns } from "@/lib/catalog/list";

export const dynamic = "force-dynamic";

/**
 * The training-run view. The chart's points come from the runs' manifests, read here, so it is
 * drawn at once; the paired figures and trajectories are fetched by the page from /api/series.
 */
export default async function SeriesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(await searchParams)) for (const v of [value ?? []].flat()) params.append(key, v);
  const entries = await listRuns(serverWorkspace());
  const choices = seriesChoices(entries);
  const manifests = entries.flatMap((e) => (e.ok ? [e.manifest] : []));
  let problem: string | null = null;
  let view: SeriesView | null = null;
  let summary: SeriesSummary | null = null;
  let suite: SuiteReport | null = null;
  try {
    view = decodeSeriesView(params);
    if (view.suite && view.lines.length > 0) suite = await suiteReportOnDisk(serverWorkspace(), { lines: view.lines, suite: view.suite, k: view.k, tieMargin: view.margin });
    else if (view.task && view.lines.length > 0) summary = seriesSummary(entries, seriesOptions(view));
  } catch (error) {
    if (!(error instanceof SeriesInputError || error instanceof SeriesViewError)) throw error;
    problem = error.message;
  }
  if (suite) return <SuiteScreen report={suite} />;
  if (view && summary) {
    const ids = new Set(summary.lines.flatMap((l) => l.points.map((p) => p.run_id)));
    const metrics = [...new Set(manifests.filter((m) => ids.has(m.run_id)).flatMap((m) => Object.keys(m.metrics)))].sort();
    return <SeriesScreen view={view} summary={summary} metrics={metrics} />;
  }
  return (
    <>
      <div className="page-head">
        <h1>Series</h1>
        <span className="muted">every checkpoint of a training run on one task, lines side by side</span>
      </div>
      {problem && (
        <p className="callout error" role="alert" data-testid="series-problem">
          {problem}
        </p>
      )}
      {manifests.length === 0 ? <p className="callout">The workspace has no runs yet: load the demo runs on the runs page, or launch a run.</p> : <SeriesPicker manifests={manifests} tasks={choices.tasks} models={choices.models} experiments={choices.experiments} suites={suiteNames()} />}
    </>
  );
}
