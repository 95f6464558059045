"use client";

import { useRouter } from "next/navigation";
import { Area, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { SummaryLine } from "@/lib/series/report";
import { interval, num } from "@/lib/series/format";
import { lineColor, type TooltipState } from "./colors";

interface Row {
  x: number;
  [key: string]: number | [number, number] | null | undefined;
}

/** One row per x position with each line's mean, 95% CI and noise band under keys suffixed by the line's index. */
function rows(lines: readonly SummaryLine[]): Row[] {
  const byX = new Map<number, Row>();
  lines.forEach((line, i) => {
    for (const p of line.points) {
      const row = byX.get(p.x) ?? { x: p.x };
      row[`mean${i}`] = p.mean;
      row[`ci${i}`] = p.ci ? [p.ci[0], p.ci[1]] : null;
      row[`noise${i}`] = line.noise.sd === null ? null : [p.mean - line.noise.sd, p.mean + line.noise.sd];
      byX.set(p.x, row);
    }
  });
  return [...byX.values()].sort((a, b) => a.x - b.x);
}

function ScoreTooltip({ active, label, lines, factor, unit, openRuns }: TooltipState & { lines: readonly SummaryLine[]; factor: number; unit: string; openRuns: boolean }) {
  if (!active) return null;
  return (
    <div className="chart-tooltip">
      <b>{lines[0]?.x_axis === "step" ? `step ${label}` : `checkpoint #${Number(label) + 1}`}</b>
      {lines.map((line, i) => {
        const index = line.points.findIndex((p) => p.x === label);
        if (index < 0) return null;
        const p = line.points[index];
        const step = index > 0 ? line.steps[index - 1] : null;
        return (
          <div key={line.model} style={{ color: lineColor(i) }}>
            <b>{line.model}</b> {num(p.mean, factor)} {unit}, 95% CI {interval(p.ci, factor)}, n = {p.n}
            {p.n_clusters !== null && ` (${p.n_clusters} clusters)`}
            <div className="faint mono">{p.run_id}</div>
            {step && (
              <div>
                change {step.change >= 0 ? "+" : ""}
                {num(step.change, factor)} {step.within_noise ? "(within noise)" : step.within_noise === false ? "(beyond noise)" : ""}
              </div>
            )}
            {p.task_changed && <div className="bad">task config changed since the previous point</div>}
          </div>
        );
      })}
      {openRuns && <div className="faint">click a point to open its run</div>}
    </div>
  );
}

/**
 * Every line's score by training step: the mean, its 95% CI as a band, and a lighter band of
 * ± the line's noise (SD of its last k checkpoints). A hollow point moved less than the noise
 * since the previous one; a red ring marks a task whose config changed.
 */
export function ScoreChart({ lines, metric, factor, unit, openRuns = true }: { lines: readonly SummaryLine[]; metric: string; factor: number; unit: string; openRuns?: boolean }) {
  const router = useRouter();
  const data = rows(lines);
  // a tick at every checkpoint when they are few enough to label
  const ticks = data.length <= 16 ? data.map((r) => r.x) : undefined;
  const scaled = (v: number) => num(v, factor, factor === 100 ? 0 : 2);
  return (
    <div style={{ height: 340 }} data-testid="score-chart">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 18, left: 8 }}>
          <CartesianGrid stroke="#eceef1" />
          <XAxis
            dataKey="x"
            type="number"
            domain={["dataMin", "dataMax"]}
            ticks={ticks}
            fontSize={11}
            label={{ value: lines[0]?.x_axis === "step" ? "training step" : "checkpoint (ordered by label: no steps recorded)", position: "insideBottom", offset: -10, fontSize: 11 }}
          />
          <YAxis fontSize={11} domain={["auto", "auto"]} tickFormatter={scaled} label={{ value: `${metric} (${unit})`, angle: -90, position: "insideLeft", fontSize: 11, dy: 60 }} />
          <Tooltip content={(props) => <ScoreTooltip active={props.active} label={props.label as string | number | undefined} payload={props.payload} lines={lines} factor={factor} unit={unit} openRuns={openRuns} />} />
          {lines.map((line, i) => [
            <Area key={`noise${i}`} dataKey={`noise${i}`} stroke="none" fill={lineColor(i)} fillOpacity={0.06} isAnimationActive={false} connectNulls />,
            <Area key={`ci${i}`} dataKey={`ci${i}`} stroke="none" fill={lineColor(i)} fillOpacity={0.2} isAnimationActive={false} connectNulls />,
            <Line
              key={`mean${i}`}
              dataKey={`mean${i}`}
              name={line.model}
              stroke={lineColor(i)}
              strokeWidth={2}
              isAnimationActive={false}
              connectNulls
              dot={(props: { cx?: number; cy?: number; payload?: Row; index?: number }) => {
                const point = line.points.find((p) => p.x === props.payload?.x);
                if (!point || props.cx === undefined || props.cy === undefined) return <g key={`none${i}-${props.index}`} />;
                const index = line.points.indexOf(point);
                const within = index > 0 && line.steps[index - 1].within_noise === true;
                return (
                  <g key={`${point.run_id}`} style={{ cursor: openRuns ? "pointer" : undefined }} onClick={() => openRuns && router.push(`/runs/${encodeURIComponent(point.run_id)}`)} data-testid="score-point" data-run-id={point.run_id} data-mean={point.mean} data-ci={JSON.stringify(point.ci)}>
                    {point.task_changed && <circle cx={props.cx} cy={props.cy} r={8} fill="none" stroke="#c0392b" strokeWidth={2} />}
                    <circle cx={props.cx} cy={props.cy} r={4} fill={within ? "#fff" : lineColor(i)} stroke={lineColor(i)} strokeWidth={2} />
                  </g>
                );
              }}
            />,
          ])}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
