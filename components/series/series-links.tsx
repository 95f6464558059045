import { AppLink } from "@/components/app-link";
import type { SeriesLine } from "@/lib/catalog/runs-query";
import { encodeSeriesView } from "@/lib/series/view";

/** Models shown before the rest fold away, so that the runs table stays in view. */
const SHOWN_MODELS = 6;

/** Model lines with two or more checkpoints on a task, each a link to its series: the runs grouped as training runs, latest first. */
export function SeriesLinks({ lines }: { lines: readonly SeriesLine[] }) {
  if (lines.length === 0) return null;
  const models = [...new Set(lines.map((l) => l.model))];
  const modelLine = (model: string) => (
    <div key={model} className="series-line">
      <b>{model}</b>
      {lines
        .filter((l) => l.model === model)
        .map((l) => (
          <AppLink key={l.task} className="chip" href={`/series?${encodeSeriesView({ lines: [model], task: l.task })}`} data-testid="series-link">
            {l.task} · {l.checkpoints} checkpoints
          </AppLink>
        ))}
    </div>
  );
  const more = models.length - SHOWN_MODELS;
  return (
    <section className="panel series-links" data-testid="series-links">
      <h3>
        Training runs <span className="faint">model lines with several checkpoints, latest first: follow one across its checkpoints</span>
      </h3>
      {models.slice(0, SHOWN_MODELS).map(modelLine)}
      {more > 0 && (
        <details className="series-more">
          <summary>
            {more} more training {more === 1 ? "run" : "runs"}
          </summary>
          {models.slice(SHOWN_MODELS).map(modelLine)}
        </details>
      )}
    </section>
  );
}
