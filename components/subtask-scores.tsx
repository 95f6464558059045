"use client";

import { useEffect, useMemo } from "react";
import { Bar, ComposedChart, ErrorBar, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import type { ColumnBatch } from "@/lib/query";
import { subtaskScores, type SubtaskScore } from "@/lib/query/subtask-scores";
import { formatCount, formatScore } from "./format";

/** Table rows and chart bands share this height, so each bar sits beside its row. */
const ROW = 26;
const HEAD = 30;
const CHART_WIDTH = 360;

const interval = (ci: [number, number] | null | undefined) => (ci ? `[${formatScore(ci[0])}, ${formatScore(ci[1])}]` : "—");
const name = (subtask: string) => (subtask === "" ? "(no subtask)" : subtask);

function SubtaskTooltip({ active, payload, metric }: { active?: boolean; payload?: { payload: SubtaskScore }[]; metric: string }) {
  const row = active ? payload?.[0]?.payload : undefined;
  if (!row) return null;
  return (
    <div className="chart-tooltip">
      <b>{name(row.subtask)}</b>
      <div>
        {metric} {formatScore(row.metric.value)}, 95% CI {interval(row.metric.ci)}, n = {formatCount(row.metric.n)}
      </div>
    </div>
  );
}

/**
 * The run's primary score per subtask: mean over questions with ± 1 SE and the 95% CI (normal),
 * computed as the run's own score is, beside a chart of each mean with its CI on one scale.
 */
export function SubtaskScores({ rows, metric, overall }: { rows: ColumnBatch; metric: string; overall: number | null }) {
  const scores = useMemo(() => subtaskScores(rows, metric), [rows, metric]);
  useEffect(() => {
    if (scores.length >= 2) performance.mark("evalbench:subtasks-shown"); // read by bench/run-page.ts
  }, [scores]);
  if (scores.length < 2) return null;
  const clustered = scores.some((s) => s.metric.clustered);
  const data = scores.map((s) => ({ ...s, mean: s.metric.value, err: s.metric.ci && s.metric.value !== null ? [s.metric.value - s.metric.ci[0], s.metric.ci[1] - s.metric.value] : null }));
  const lo = Math.min(0, ...scores.map((s) => s.metric.ci?.[0] ?? s.metric.value ?? 0));
  const hi = Math.max(1, ...scores.map((s) => s.metric.ci?.[1] ?? s.metric.value ?? 0));
  return (
    <section className="subtasks" data-testid="subtask-scores">
      <h2>
        {metric} by subtask <span className="faint">mean over questions (samples averaged); 95% CI = mean ± 1.96 SE, normal approximation</span>
      </h2>
      <div className="subtask-frame">
        <table className="grid compact subtask-table">
          <thead>
            <tr>
              <th>Subtask</th>
              <th className="num" title="Questions with a score; unscored (errored) questions are left out">
                Questions
              </th>
              <th className="num">{metric}</th>
              <th className="num" title="One standard error of the mean">
                ± 1 SE
              </th>
              <th className="num">95% CI</th>
              {clustered && (
                <th className="num" title="Clustered standard errors (CR1) over the questions' cluster ids">
                  95% CI, clustered (CR1)
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {scores.map((s) => (
              <tr key={s.subtask} data-testid="subtask-row">
                <td>{name(s.subtask)}</td>
                <td className="num">{formatCount(s.metric.n)}</td>
                <td className="num strong">{formatScore(s.metric.value)}</td>
                <td className="num">{s.metric.se === null ? "—" : `± ${formatScore(s.metric.se)}`}</td>
                <td className="num">{interval(s.metric.ci)}</td>
                {clustered && <td className="num">{s.metric.clustered ? `${interval(s.metric.clustered.ci)} (${formatCount(s.metric.clustered.n_clusters)} clusters)` : "—"}</td>}
              </tr>
            ))}
          </tbody>
        </table>
        <div data-testid="subtask-chart" aria-label={`${metric} by subtask with 95% CIs`}>
          <ComposedChart layout="vertical" width={CHART_WIDTH} height={HEAD + ROW * scores.length} data={data} margin={{ top: 0, right: 16, bottom: 0, left: 8 }} barCategoryGap={6}>
            <XAxis type="number" orientation="top" height={HEAD} domain={[lo, hi]} tickFormatter={(v: number) => String(Number(v.toFixed(2)))} tick={{ fontSize: 11 }} />
            <YAxis type="category" dataKey="subtask" hide />
            {overall !== null && <ReferenceLine x={overall} stroke="#888" strokeDasharray="4 3" />}
            <Tooltip content={<SubtaskTooltip metric={metric} />} cursor={{ fill: "rgba(0,0,0,0.04)" }} />
            <Bar dataKey="mean" fill="#9cc3ea" isAnimationActive={false}>
              <ErrorBar dataKey="err" direction="x" width={6} stroke="#1f4f82" />
            </Bar>
          </ComposedChart>
          <p className="faint chart-note">bar: {metric}; whisker: 95% CI; dashed line: the run&apos;s overall score</p>
        </div>
      </div>
    </section>
  );
}
