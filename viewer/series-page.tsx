import { SeriesScreen } from "@/components/series/series-screen";
import { SuiteScreen } from "@/components/series/suite-screen";
import { SERIES_PAGE, type PublishedIndex } from "@/lib/publish/published-index";
import type { SeriesReport } from "@/lib/series/report";
import type { SuiteReport } from "@/lib/series/suite";
import { decodeSeriesView, seriesServerQuery, SeriesViewError, type SeriesView } from "@/lib/series/view";
import { useJson } from "./use-json";

function viewOf(params: URLSearchParams): SeriesView | string {
  try {
    return decodeSeriesView(params);
  } catch (error) {
    if (error instanceof SeriesViewError) return error.message;
    throw error;
  }
}

/** Says why there is no series to show, and links the ones this viewer has. */
function Problem({ index, message }: { index: PublishedIndex; message: string }) {
  return (
    <>
      <div className="page-head">
        <h1>Series</h1>
      </div>
      <p className="callout error" role="alert" data-testid="series-problem">
        {message}
      </p>
      {index.series.map((s) => (
        <p key={s.query}>
          <a href={`${SERIES_PAGE}?${s.query}`}>
            Series of {s.lines.join(", ")} on {s.task ?? `suite ${s.suite}`}
          </a>
        </p>
      ))}
      <a href="index.html">← The published runs</a>
    </>
  );
}

/** The app's series page (one task's, or a suite's) over the series computed at publish time; the address holds the app's /series parameters. */
export function SeriesPage({ index }: { index: PublishedIndex }) {
  const view = viewOf(new URLSearchParams(window.location.search));
  const published = typeof view === "string" ? undefined : index.series.find((s) => s.query === seriesServerQuery(view));
  const report = useJson<SeriesReport | SuiteReport>(published ? `/api/series?${published.query}` : null);
  if (typeof view === "string") return <Problem index={index} message={view} />;
  if (!published) return <Problem index={index} message="This series view was not published: this viewer holds only the series below, computed when it was published; other lines, another metric, k or tie margin need the app." />;
  if (report.error) return <Problem index={index} message={`The published series cannot be read: ${report.error}`} />;
  if (!report.data) return <div className="loading-bar" />;
  return (
    <>
      {!index.text && <p className="callout">Published without text: prompts, responses and targets are not in this viewer; scores and ids are.</p>}
      {"suite" in report.data ? <SuiteScreen report={report.data} /> : <SeriesScreen view={view} summary={report.data} metrics={[report.data.metric]} />}
    </>
  );
}
