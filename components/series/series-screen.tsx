"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { AppLink } from "@/components/app-link";
import { scaleOf } from "@/lib/series/format";
import type { DifferenceRow, FlipRow, PerTaskRow, SeriesReport, SeriesSummary } from "@/lib/series/report";
import type { Trajectories } from "@/lib/series/trajectories";
import { encodeSeriesView, seriesServerQuery, type SeriesView } from "@/lib/series/view";
import { CopyButtons } from "./copy-buttons";
import { LineLegend } from "./line-legend";
import { DifferenceChart } from "./difference-chart";
import { FlipsChart } from "./flips-chart";
import { PerTaskTable } from "./per-task-table";
import { ScoreChart } from "./score-chart";
import { TrajectoryStrips } from "./trajectories";
import { fetchJson, useJson } from "./use-json";

/** A part of the paired stage as it loads: a bar while it is computed, the server's reason if it fails. */
function Pending({ error, what }: { error: string | null; what: string }) {
  if (error)
    return (
      <p className="callout error" role="alert" data-testid="series-error">
        The {what} could not be computed: {error}
      </p>
    );
  return (
    <div className="panel">
      <div className="status-line">Reading the checkpoints&apos; questions for the {what}…</div>
      <div className="loading-bar" />
    </div>
  );
}

/** One line's flips, fetched on their own so they show as soon as that line's runs are read. */
function LineFlips({ query, index, model, margin, onSettled }: { query: string | null; index: number; model: string; margin: number; onSettled?: () => void }) {
  const { data, error } = useJson<FlipRow[]>(query === null ? null : `/api/series?${query}&part=flips&of=${index}`);
  const settled = data !== null || error !== null;
  useEffect(() => {
    if (settled) onSettled?.();
  }, [settled, onSettled]);
  if (!data) return <Pending error={error} what={`flips of ${model}`} />;
  return data.length > 0 ? <FlipsChart rows={data} model={model} binary={data.every((f) => f.mcnemar !== null)} margin={margin} /> : null;
}

/** A further line against the baseline. */
function LineDifference({ query, index, model, baseline, factor, unit }: { query: string | null; index: number; model: string; baseline: string; factor: number; unit: string }) {
  const { data, error } = useJson<DifferenceRow[]>(query === null ? null : `/api/series?${query}&part=differences&of=${index}`);
  if (!data) return <Pending error={error} what={`difference of ${model} against ${baseline}`} />;
  return data.length > 0 ? (
    <DifferenceChart rows={data} index={index} factor={factor} unit={unit} />
  ) : (
    <p className="callout warn">
      {model} shares no step with the baseline {baseline}: no paired difference.
    </p>
  );
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
  const serverQuery = seriesServerQuery(initial);
  // One server thread computes every part, so they are asked in turn, each reusing the runs the
  // one before read: the first line's flips, then its trajectories, then the recent changes, the
  // other lines' flips and the differences (which read the other lines' runs).
  const [baselineRead, setBaselineRead] = useState(false);
  const onBaselineRead = useCallback(() => setBaselineRead(true), []);
  const trajectories = useJson<Trajectories>(baselineRead ? `/api/series/trajectories?${serverQuery}&traj=${view.traj}` : null);
  const [trajectoriesRead, setTrajectoriesRead] = useState(false);
  // a latch: showing another line's trajectories later must not ask the other parts again
  if ((trajectories.data !== null || trajectories.error !== null) && !trajectoriesRead) setTrajectoriesRead(true);
  const later = trajectoriesRead ? serverQuery : null;
  const changes = useJson<PerTaskRow[]>(later === null ? null : `/api/series?${later}&part=changes`);
  const { factor, unit } = scaleOf(summary);
  // a metric is 0/1 when every checkpoint's trajectories are; until they arrive, the manifests' values tell
  const binary = trajectories.data ? trajectories.data.binary : true;

  /** Settings the server computes with reload the page; the rest only rewrites the address. */
  const navigate = (patch: Partial<SeriesView>) => router.push(`/series?${encodeSeriesView({ ...view, ...patch, question: null })}`);
  const local = (patch: Partial<SeriesView>) => {
    const next = { ...view, ...patch };
    setView(next);
    // relative to the page: /series in the app, series.html in a published viewer
    window.history.replaceState(null, "", `?${encodeSeriesView(next)}`);
  };
  const lineRuns = summary.lines.map((l) => l.points.map((p) => p.run_id));
  const matrixHref = `/matrix?${new URLSearchParams(lineRuns[0].map((id) => ["run", id])).toString()}`;

  return (
    <>
      <div className="page-head">
        <h1>
          Series: <span className="mono">{summary.task}</span>
        </h1>
        <LineLegend models={summary.lines.map((l) => l.model)} />
        <span className="spacer" />
        <CopyButtons load={() => fetchJson<SeriesReport>(`/api/series?${serverQuery}`)} />
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

      <h2>Per task</h2>
      {changes.data ? <PerTaskTable rows={changes.data} factor={factor} unit={unit} k={summary.k} /> : <Pending error={changes.error} what="change over the last checkpoints" />}
      <p className="small faint">
        Noise, signal and SNR follow Heineman et al. 2025, &ldquo;Signal and Noise&rdquo;: a benchmark with SNR well below 1 cannot tell these lines apart at this scale.{" "}
        <a href="https://github.com/allenai/signal-and-noise">allenai/signal-and-noise</a>; formulas in docs/statistics.md.
      </p>
      {summary.lines.slice(1).map((line, i) => (
        <LineDifference key={line.model} query={later} index={i + 1} model={line.model} baseline={summary.lines[0].model} factor={factor} unit={unit} />
      ))}
      <div className="flips-grid">
        {summary.lines.map((line, i) => (
          <LineFlips key={line.model} query={i === 0 ? serverQuery : later} index={i} model={line.model} margin={summary.tie_margin} onSettled={i === 0 ? onBaselineRead : undefined} />
        ))}
      </div>

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
