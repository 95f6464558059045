import { AppLink } from "@/components/app-link";
import type { RunRow } from "@/lib/query/runs";
import { encodeSeriesView } from "@/lib/series/view";

/** Model lines with two or more checkpoints on a task, each a link to its series: the runs grouped as training runs. */
export function SeriesLinks({ runs }: { runs: readonly RunRow[] }) {
  const lines = new Map<string, { model: string; task: string; checkpoints: Set<string> }>();
  for (const run of runs) {
    const key = `${run.model}\u0000${run.task}`;
    const line = lines.get(key) ?? { model: run.model, task: run.task, checkpoints: new Set<string>() };
    line.checkpoints.add(String(run.step ?? run.checkpoint ?? run.runId));
    lines.set(key, line);
  }
  const series = [...lines.values()].filter((l) => l.checkpoints.size >= 2).sort((a, b) => (a.model < b.model ? -1 : a.model > b.model ? 1 : a.task < b.task ? -1 : 1));
  if (series.length === 0) return null;
  const models = [...new Set(series.map((l) => l.model))];
  return (
    <section className="panel series-links" data-testid="series-links">
      <h3>Training runs <span className="faint">model lines with several checkpoints: follow one across its checkpoints</span></h3>
      {models.map((model) => (
        <div key={model} className="series-line">
          <b>{model}</b>
          {series
            .filter((l) => l.model === model)
            .map((l) => (
              <AppLink key={l.task} className="chip" href={`/series?${encodeSeriesView({ lines: [model], task: l.task })}`} data-testid="series-link">
                {l.task} · {l.checkpoints.size} checkpoints
              </AppLink>
            ))}
        </div>
      ))}
    </section>
  );
}
