import { AppLink } from "@/components/app-link";
import type { RunManifest } from "@/lib/schema";
import { taskSpec } from "@/lib/series/lines";
import { encodeSeriesView } from "@/lib/series/view";

/** Model lines by task with their checkpoint counts, each a link to its series; and a form to line several up. */
export function SeriesPicker({ manifests, tasks, models, experiments, suites }: { manifests: readonly RunManifest[]; tasks: string[]; models: string[]; experiments: string[]; suites: string[] }) {
  // a line is a model name, or every run of an experiment
  const selectors = [...models, ...experiments.map((e) => `experiment=${e}`)];
  const count = (model: string, task: string) => new Set(manifests.filter((m) => m.model.name === model && taskSpec(m) === task).map((m) => m.model.step ?? m.model.checkpoint)).size;
  return (
    <>
      <form action="/series" className="panel series-form" data-testid="series-form">
        <h3>Line up training runs</h3>
        <div className="toolbar">
          <label>
            Task
            <select name="task" required defaultValue={tasks[0]}>
              {tasks.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
          <label>
            or suite
            <select name="suite" defaultValue="">
              <option value="">—</option>
              {suites.map((name) => (
                <option key={name}>{name}</option>
              ))}
            </select>
          </label>
          <label>
            Baseline line
            <select name="line" required defaultValue={selectors[0]}>
              {selectors.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </label>
          <span className="muted">compared with:</span>
          {selectors.map((m) => (
            <label key={m}>
              <input type="checkbox" name="line" value={m} /> {m}
            </label>
          ))}
          <button type="submit" className="button primary">
            Show series
          </button>
        </div>
      </form>
      <div className="table-frame">
        <table className="grid compact" data-testid="series-choices">
          <thead>
            <tr>
              <th>Model line</th>
              {tasks.map((t) => (
                <th key={t}>{t}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {models.map((model) => (
              <tr key={model}>
                <td>{model}</td>
                {tasks.map((task) => {
                  const n = count(model, task);
                  return (
                    <td key={task}>
                      {n === 0 ? (
                        <span className="faint">—</span>
                      ) : (
                        <AppLink href={`/series?${encodeSeriesView({ lines: [model], task })}`}>
                          {n} checkpoint{n === 1 ? "" : "s"}
                        </AppLink>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
            {models.length > 1 && (
              <tr>
                <td className="muted">all lines, {models[0]} as baseline</td>
                {tasks.map((task) => {
                  const withRuns = models.filter((m) => count(m, task) > 0);
                  return (
                    <td key={task}>
                      {withRuns.length > 1 ? (
                        <AppLink href={`/series?${encodeSeriesView({ lines: withRuns, task })}`} data-testid="all-lines-link">
                          {withRuns.length} lines side by side
                        </AppLink>
                      ) : (
                        <span className="faint">—</span>
                      )}
                    </td>
                  );
                })}
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
