import { MatrixScreen } from "@/components/series/matrix-screen";
import { seriesChoices } from "@/lib/series/lines";
import { defaultMatrixRuns } from "@/lib/series/matrix";
import { serverWorkspace } from "@/lib/server/workspace";
import { listRuns } from "@/lib/catalog/list";

export const dynamic = "force-dynamic";

/**
 * The pairwise matrix of runs of one task: `run=` ids, or `task=` with every checkpoint of a
 * `line=`, or the latest checkpoint of each model. The figures are fetched from /api/matrix.
 */
export default async function MatrixPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const entries = await listRuns(serverWorkspace());
  const choices = seriesChoices(entries);
  let runs = [params.run ?? []].flat();
  const task = typeof params.task === "string" ? params.task : null;
  const line = typeof params.line === "string" && params.line !== "" ? params.line : null;
  if (runs.length === 0 && task) runs = defaultMatrixRuns(entries.flatMap((e) => (e.ok ? [e.manifest] : [])), task, line).map((m) => m.run_id);
  return (
    <>
      <div className="page-head">
        <h1>Matrix</h1>
        <span className="muted">every pair of runs of one task, question by question</span>
      </div>
      <form action="/matrix" className="toolbar">
        <label>
          Task
          <select name="task" defaultValue={task ?? choices.tasks[0]}>
            {choices.tasks.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          Runs
          <select name="line" defaultValue={line ?? ""}>
            <option value="">the latest checkpoint of each model</option>
            {choices.models.map((m) => (
              <option key={m} value={m}>
                every checkpoint of {m}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button">
          Show
        </button>
      </form>
      {runs.length > 0 ? (
        <MatrixScreen query={new URLSearchParams(runs.map((r) => ["run", r])).toString()} />
      ) : (
        <p className="callout">{task ? `No complete run of ${task} for this choice.` : "Pick a task and which runs to line up."}</p>
      )}
    </>
  );
}
