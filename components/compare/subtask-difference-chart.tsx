"use client";

import { CartesianGrid, ErrorBar, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from "recharts";
import { headlineCi } from "@/lib/compare/markdown";
import type { PerTaskReport } from "@/lib/compare/report";
import { formatDiff, formatInterval, unitLabel } from "./numbers";

interface Props {
  /** The rows to plot, in table order: a task's subtasks, or the tasks. */
  rows: PerTaskReport[];
  scale: number;
  level: number;
}

const ROW_HEIGHT = 22;

/** Each subtask's (or task's) difference candidate − baseline with its CI: a forest plot beside the table. */
export function SubtaskDifferenceChart({ rows, scale, level }: Props) {
  const data = rows.flatMap((r, i) => {
    const ci = headlineCi(r);
    if (r.delta === null || ci === null) return [];
    const delta = scale * r.delta;
    return [{ y: i, name: r.subtask ?? r.task, delta, error: [delta - scale * ci[0], scale * ci[1] - delta], text: `${formatDiff(r.delta, scale, true)} ${formatInterval(ci, scale)}` }];
  });
  const names = rows.map((r) => r.subtask ?? r.task);
  return (
    <section className="panel subtask-chart" data-testid="subtask-chart" data-rows={data.length}>
      <h3>
        Δ candidate − baseline by {rows.some((r) => r.subtask !== null) ? "subtask" : "task"} ({unitLabel(scale)}), dot = Δ, bar = {level}% CI
      </h3>
      <div style={{ height: names.length * ROW_HEIGHT + 40 }}>
        <ResponsiveContainer width="100%" height="100%">
          <ScatterChart margin={{ top: 4, right: 16, bottom: 4, left: 4 }}>
            <CartesianGrid horizontal={false} stroke="#eceef1" />
            <XAxis type="number" dataKey="delta" fontSize={11} tickFormatter={(x: number) => x.toFixed(scale === 100 ? 0 : 2)} domain={["auto", "auto"]} />
            <YAxis
              type="number"
              dataKey="y"
              domain={[-0.5, names.length - 0.5]}
              ticks={names.map((_, i) => i)}
              tickFormatter={(i: number) => names[i] ?? ""}
              reversed
              interval={0}
              width={120}
              fontSize={11}
            />
            <ReferenceLine x={0} stroke="#8a9099" />
            <Tooltip formatter={(_value, _name, item) => [item.payload.text, item.payload.name]} labelFormatter={() => ""} cursor={false} />
            <Scatter data={data} fill="#2456c7" isAnimationActive={false}>
              <ErrorBar dataKey="error" direction="x" width={4} stroke="#2456c7" />
            </Scatter>
          </ScatterChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
}
