"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { AppLink } from "@/components/app-link";
import { scaleOf } from "@/lib/series/format";
import type { SeriesReport, SeriesSummary } from "@/lib/series/report";
import { encodeSeriesView, type SeriesView } from "@/lib/series/view";
import { lineColor } from "./colors";
import { CopyButtons } from "./copy-buttons";
import { DifferenceChart } from "./difference-chart";
import { FlipsChart } from "./flips-chart";
import { PerTaskTable } from "./per-task-table";
import { ScoreChart } from "./score-chart";
import { TrajectoryStrips, useTrajectories } from "./trajectories";

/** The paired stage, fetched once the chart is up; null while it loads. */
function useSeriesReport(query: string): { report: SeriesReport | null; error: string | null } {
  const [state, setState] = useState<{ query: string; report: SeriesReport | null; error: string | null }>({ query: "", report: null, error: null });
  useEffect(() => {
    let live = true;
    fetch(`/api/series?${query}`)
      .then(async (response) => {
        const body = await response.json();
        if (!response.ok) throw new Error(body.error ?? `the server answered ${response.status}`);
        if (live) setState({ query, report: body as SeriesReport, error: null });
      })
      .catch((error: Error) => live && setState({ query, report: null, error: error.message }));
    return () => {
      live = false;
    };
  }, [query]);
  return state.query === query ? state : { report: null, error: null };
}

interface Props {
  view: SeriesView;
  summary: SeriesSummary;
  metrics: string[];
}

/**
 * The training-run view: every line's checkpoints on one task with CIs and noise, then (once the
 * questions are read) each line against the baseline, flips between checkpoints, the per-task
 * table and every question's trajectory. The URL is the whole state.
 */
export function SeriesScreen({ view: initial, summary, metrics }: Props) {
  const router = useRouter();
  const [view, setView] = useState(initial);
  const serverQuery = encodeSeriesView({ lines: initial.lines, task: initial.task, metric: initial.metric, k: initial.k, margin: initial.margin });
  const { report, error } = useSeriesReport(serverQuery);
  const trajectories = useTrajectories(`${serverQuery}&traj=${view.traj}`);
  const { factor, unit } = scaleOf(summary);
  const binary = report ? report.flips.every((f) => f.mcnemar !== null) : true;

  /** Settings the server computes with reload the page; the rest only rewrites the address. */
  const navigate = (patch: Partial<SeriesView>) => router.push(`/series?${encodeSeriesView({ ...view, ...patch, question: null })}`);
  const local = (patch: Partial<SeriesView>) => {
    const next = { ...view, ...patch };
    setView(next);
    window.history.replaceState(null, "", `/series?${encodeSeriesView(next)}`);
  };
  const lineRuns = summary.lines.map((l) => l.points.map((p) => p.run_id));
  const matrixHref = `/matrix?${new URLSearchParams(lineRuns[0].map((id) => ["run", id])).toString()}`;

  return (
    <>
      <div className="page-head">
        <h1>
          Series: <span className="mono">{summary.task}</span>
        </h1>
        <span className="legend-lines">
          {summary.lines.map((line, i) => (
            <span key={line.model} className="line-chip" data-testid="line-chip">
              <i style={{ background: lineColor(i) }} />
              {line.model}
              {i === 0 && summary.lines.length > 1 && <span className="badge">baseline</span>}
            </span>
          ))}
        </span>
        <span className="spacer" />
        <CopyButtons report={report} />
      </div>
      <div className="compare-bar toolbar">
        <label>
          Metric
          <select value={summary.metric} onChange={(e) => navigate({ metric: e.target.value })} data-testid="metric-select">
            {metrics.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
        <label title="checkpoints the noise and the recent change are measured over">
          k (last checkpoints)
          <input className="num-input" type="number" min={2} defaultValue={summary.k} onBlur={(e) => Number(e.target.value) !== summary.k && navigate({ k: Math.max(2, Math.round(Number(e.target.value)) || 2) })} data-testid="k-input" />
        </label>
        {!binary && (
          <label title="a question rose or fell only by more than this">
            tie margin
            <input className="num-input" type="number" min={0} step="0.01" defaultValue={summary.tie_margin} onBlur={(e) => navigate({ margin: Math.max(0, Number(e.target.value) || 0) })} />
          </label>
        )}
        <span className="spacer" />
        <span className="faint">
          95% CIs; noise band = ± SD of the line&apos;s last {summary.k} checkpoint scores; hollow points moved less than that
        </span>
        <AppLink href={matrixHref}>Matrix of {summary.lines[0].model}</AppLink>
      </div>

      <section className="panel">
        <h3>
          {summary.metric} by training step <span className="faint">({unit}; band = 95% CI of each checkpoint, clustered where questions share passages)</span>
        </h3>
        <ScoreChart lines={summary.lines} metric={summary.metric} factor={factor} unit={unit} />
        <SeriesNotes summary={summary} />
      </section>

      {error && (
        <p className="callout error" role="alert" data-testid="series-error">
          The paired figures could not be computed: {error}
        </p>
      )}
      {!report && !error && (
        <div className="panel">
          <div className="status-line">Reading every checkpoint&apos;s questions to pair them…</div>
          <div className="loading-bar" />
        </div>
      )}
      {report && (
        <>
          <h2>Per task</h2>
          <PerTaskTable rows={report.per_task} factor={factor} unit={unit} k={report.k} />
          <p className="small faint">
            Noise, signal and SNR follow Heineman et al. 2025, &ldquo;Signal and Noise&rdquo;: a benchmark with SNR well below 1 cannot tell these lines apart at this scale.{" "}
            <a href="https://github.com/allenai/signal-and-noise">allenai/signal-and-noise</a>; formulas in docs/statistics.md.
          </p>
          {summary.lines.slice(1).map((line, i) => {
            const rows = report.differences.filter((d) => d.model === line.model);
            return rows.length > 0 ? (
              <DifferenceChart key={line.model} rows={rows} index={i + 1} factor={factor} unit={unit} />
            ) : (
              <p key={line.model} className="callout warn">
                {line.model} shares no step with the baseline {summary.lines[0].model}: no paired difference.
              </p>
            );
          })}
          <div className="flips-grid">
            {summary.lines.map((line) => {
              const rows = report.flips.filter((f) => f.model === line.model);
              return rows.length > 0 ? <FlipsChart key={line.model} rows={rows} model={line.model} binary={binary} margin={report.tie_margin} /> : null;
            })}
          </div>
        </>
      )}

      <h2>Question trajectories</h2>
      <div className="toolbar">
        <label>
          Line
          <select value={view.traj} onChange={(e) => local({ traj: Number(e.target.value), question: null })} data-testid="trajectory-line">
            {summary.lines.map((line, i) => (
              <option key={line.model} value={i}>
                {line.model}
              </option>
            ))}
          </select>
        </label>
      </div>
      {trajectories.error && <p className="callout error">The trajectories could not be read: {trajectories.error}</p>}
      {!trajectories.data && !trajectories.error && <div className="loading-bar" />}
      {trajectories.data && <TrajectoryStrips data={trajectories.data} filter={view.filter} flipsAtLeast={view.flipsAtLeast} question={view.question} onChange={local} />}
    </>
  );
}

/** Gaps, notes and missing noise figures, in words. */
function SeriesNotes({ summary }: { summary: SeriesSummary }) {
  const items = [
    ...summary.lines.flatMap((line) => [
      ...line.gaps.map((g) => `${line.model}: no point at ${g.step !== null ? `step ${g.step}` : (g.checkpoint ?? g.run_id)} (${g.run_id}): ${g.reason}`),
      ...(line.noise.reason ? [`${line.model}: no noise figure: ${line.noise.reason}`] : []),
      ...(line.noise.k_used > 0 && line.noise.k_used < summary.k && !line.noise.reason ? [`${line.model}: noise over ${line.noise.k_used} checkpoints, fewer than k = ${summary.k}`] : []),
      ...line.points.filter((p) => p.task_changed).map((p) => `${line.model}: the task's config changed at ${p.step ?? p.checkpoint} (${p.run_id}, red ring): scores before and after may not be comparable`),
      ...line.notes.map((n) => `${line.model}: ${n}`),
    ]),
    ...summary.notes,
  ];
  if (items.length === 0) return null;
  return (
    <ul className="series-notes" data-testid="series-notes">
      {items.map((item) => (
        <li key={item}>{item}</li>
      ))}
    </ul>
  );
}
