"use client";

import { useRouter } from "next/navigation";
import { Area, CartesianGrid, ComposedChart, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { interval, num, pValue, verdictOf } from "@/lib/series/format";
import type { DifferenceRow } from "@/lib/series/report";
import { compareUrl } from "@/lib/query";
import { lineColor, type TooltipState } from "./colors";

const VERDICT_COLOR = { up: "#17803d", down: "#c0392b", "within noise": "#8a93a0", unknown: "#8a93a0" } as const;

/** The first step from which every later difference is significantly positive (or negative), if any. */
export function significantFrom(rows: readonly DifferenceRow[], direction: "up" | "down"): number | null {
  let from: number | null = null;
  for (const row of rows) {
    if (verdictOf(row) === direction) from ??= row.step;
    else from = null;
  }
  return from;
}

function DifferenceTooltip({ active, payload, factor, unit }: TooltipState & { factor: number; unit: string }) {
  const row = payload?.[0]?.payload as DifferenceRow | undefined;
  if (!active || !row) return null;
  return (
    <div className="chart-tooltip">
      <b>step {row.step}</b>
      <div>
        difference {num(row.delta, factor)} {unit}, 95% CI {interval(row.ci, factor)}
      </div>
      <div>
        p {pValue(row.p)}, n = {row.n_shared} shared questions{row.n_mismatched > 0 && `, ${row.n_mismatched} changed (not paired)`}
      </div>
      <div className="faint">click to compare the two runs</div>
    </div>
  );
}

/**
 * One further line minus the baseline at every step both have, paired question by question, with
 * the 95% CI as a band and a zero line: where the band clears zero, the line is ahead (or behind).
 */
export function DifferenceChart({ rows, index, factor, unit }: { rows: readonly DifferenceRow[]; index: number; factor: number; unit: string }) {
  const router = useRouter();
  const data = rows.map((r) => ({ ...r, band: r.ci ? [r.ci[0], r.ci[1]] : null }));
  const ahead = significantFrom(rows, "up");
  const behind = significantFrom(rows, "down");
  return (
    <section className="panel" data-testid="difference-chart" data-model={rows[0]?.model}>
      <h3>
        {rows[0]?.model} − {rows[0]?.baseline} <span className="faint">paired on shared questions, 95% CI band</span>
      </h3>
      <p className="small" data-testid="difference-verdict">
        {ahead !== null
          ? `Significantly ahead from step ${ahead} on.`
          : behind !== null
            ? `Significantly behind from step ${behind} on.`
            : "Not significantly ahead or behind at the latest steps."}
      </p>
      <div style={{ height: 220 }}>
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 18, left: 8 }}>
            <CartesianGrid stroke="#eceef1" />
            <XAxis dataKey="step" type="number" domain={["dataMin", "dataMax"]} ticks={rows.length <= 16 ? rows.map((r) => r.step) : undefined} fontSize={11} label={{ value: "training step", position: "insideBottom", offset: -10, fontSize: 11 }} />
            <YAxis fontSize={11} tickFormatter={(v: number) => num(v, factor, factor === 100 ? 0 : 2)} label={{ value: `difference (${unit})`, angle: -90, position: "insideLeft", fontSize: 11, dy: 50 }} />
            <ReferenceLine y={0} stroke="#1d2129" strokeDasharray="4 3" />
            <Tooltip content={(props) => <DifferenceTooltip active={props.active} label={props.label as string | number | undefined} payload={props.payload} factor={factor} unit={unit} />} />
            <Area dataKey="band" stroke="none" fill={lineColor(index)} fillOpacity={0.2} isAnimationActive={false} />
            <Line
              dataKey="delta"
              stroke={lineColor(index)}
              strokeWidth={2}
              isAnimationActive={false}
              dot={(props: { cx?: number; cy?: number; payload?: DifferenceRow }) => {
                const row = props.payload;
                if (!row || props.cx === undefined || props.cy === undefined) return <g key={`none-${props.cx}`} />;
                return (
                  <circle
                    key={row.a_run_id}
                    cx={props.cx}
                    cy={props.cy}
                    r={5}
                    fill={VERDICT_COLOR[verdictOf(row)]}
                    stroke="#fff"
                    style={{ cursor: "pointer" }}
                    data-testid="difference-point"
                    data-step={row.step}
                    data-delta={row.delta ?? ""}
                    data-ci={JSON.stringify(row.ci)}
                    data-p={row.p ?? ""}
                    onClick={() => router.push(compareUrl(row.a_run_id, row.b_run_id))}
                  />
                );
              }}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
}
