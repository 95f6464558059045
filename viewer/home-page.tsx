import { useState } from "react";
import { formatCount, formatTime } from "@/components/format";
import { primaryScoreText } from "@/lib/format/score";
import { StatusBadge } from "@/components/status-badge";
import { COMPARE_PAGE, MATRIX_PAGE, RUN_PAGE, SERIES_PAGE, type PublishedIndex } from "@/lib/publish/published-index";
import { encodeView } from "@/lib/share/view-state";

/** The published runs, each pinned by its records' sha256, and a picker for any two of them. */
export function HomePage({ index }: { index: PublishedIndex }) {
  const ids = index.runs.map((run) => run.manifest.run_id);
  const [a, setA] = useState(index.compare?.a ?? ids[0]);
  const [b, setB] = useState(index.compare?.b ?? ids[1] ?? ids[0]);
  const pin = (id: string) => index.runs.find((run) => run.manifest.run_id === id)?.pin ?? null;
  /** The models whose runs a matrix holds, so that two lines' matrices are told apart. */
  const modelsOf = (query: string) => [...new Set(new URLSearchParams(query).getAll("run").map((id) => index.runs.find((run) => run.manifest.run_id === id)!.manifest.model.name))];
  const link = (a: string, b: string) => `${COMPARE_PAGE}?${encodeView({ a, b, pinA: pin(a), pinB: pin(b) })}`;
  return (
    <>
      <div className="page-head">
        <h1>Published runs</h1>
        <span className="muted">{formatCount(index.runs.length)} runs, copied and pinned by the sha256 of their records{index.text ? "" : "; published without text"}</span>
      </div>
      {index.compare && (
        <p>
          <a className="button primary" href={link(index.compare.a, index.compare.b)} data-testid="published-comparison">
            Open the comparison {index.compare.a} vs {index.compare.b}
          </a>
        </p>
      )}
      {index.series.map((series, i) => (
        <p key={series.query}>
          {/* the first is the series the link opens; a suite's member tasks follow it */}
          <a className={i === 0 ? "button primary" : undefined} href={`${SERIES_PAGE}?${series.query}`} data-testid="published-series">
            Series of {series.lines.join(" and ")} on {series.task ?? `suite ${series.suite}`}
          </a>{" "}
          <span className="muted">{series.suite ? "the suite's aggregate at every checkpoint with its 95% CI, and every member task's figures" : "every checkpoint with its 95% CI and noise, each line against the first, flips and question trajectories"}</span>
        </p>
      ))}
      {index.matrices.map((matrix) => (
        <p key={matrix.path}>
          <a href={`${MATRIX_PAGE}?${matrix.query}`} data-testid="published-matrix">
            Matrix of the {new URLSearchParams(matrix.query).getAll("run").length} runs of {matrix.task} ({modelsOf(matrix.query).join(", ")})
          </a>{" "}
          <span className="muted">every pair, question by question, with Holm-adjusted p</span>
        </p>
      ))}
      {ids.length > 1 && (
        <div className="toolbar">
          <label>
            A (candidate){" "}
            <select className="run-picker" aria-label="Run A" value={a} onChange={(e) => setA(e.target.value)}>
              {ids.map((id) => (
                <option key={id}>{id}</option>
              ))}
            </select>
          </label>
          <label>
            B (baseline){" "}
            <select className="run-picker" aria-label="Run B" value={b} onChange={(e) => setB(e.target.value)}>
              {ids.map((id) => (
                <option key={id}>{id}</option>
              ))}
            </select>
          </label>
          {a === b ? <span className="muted">pick two different runs</span> : <a className="button" href={link(a, b)}>Compare</a>}
        </div>
      )}
      <table className="grid">
        <thead>
          <tr>
            <th>run</th>
            <th>model</th>
            <th>checkpoint</th>
            <th>task</th>
            <th>primary metric (mean ± standard error)</th>
            <th className="num">questions</th>
            <th>finished (UTC)</th>
            <th>published records, sha256</th>
          </tr>
        </thead>
        <tbody>
          {index.runs.map(({ manifest, status, records }) => (
            <tr key={manifest.run_id} data-testid="published-run">
              <td className="mono">
                <a href={`${RUN_PAGE}?id=${encodeURIComponent(manifest.run_id)}`}>{manifest.run_id}</a> {status !== "complete" && <StatusBadge status={status} />}
              </td>
              <td>{manifest.model.name}</td>
              <td>{manifest.model.checkpoint ?? "—"}</td>
              <td>{manifest.task.name}</td>
              <td>
                {manifest.primary_metric} {primaryScoreText(manifest)}
              </td>
              <td className="num">{formatCount(manifest.counts.done)}</td>
              <td>{formatTime(manifest.finished_at)}</td>
              <td className="mono" title={records.sha256}>
                {records.sha256.slice(0, 12)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
