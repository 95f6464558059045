import { AppLink } from "@/components/app-link";
import type { SeriesLine } from "@/lib/catalog/runs-query";
import { encodeSeriesView } from "@/lib/series/view";

/** Model lines with two or more checkpoints on a task, each a link to its series: the runs grouped as training runs. */
export function SeriesLinks({ lines }: { lines: readonly SeriesLine[] }) {
  if (lines.length === 0) return null;
  const models = [...new Set(lines.map((l) => l.model))];
  return (
    <section className="panel series-links" data-testid="series-links">
      <h3>Training runs <span className="faint">model lines with several checkpoints: follow one across its checkpoints</span></h3>
      {models.map((model) => (
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
      ))}
    </section>
  );
}
