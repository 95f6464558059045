"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { HistogramBin } from "@/lib/compare/histogram";

/** Distribution of per-question differences candidate − baseline, for continuous scores. */
export function DifferenceHistogram({ bins, scale }: { bins: HistogramBin[]; scale: number }) {
  const data = bins.map((bin) => ({ x: (scale * (bin.lo + bin.hi)) / 2, count: bin.count, range: `${(scale * bin.lo).toFixed(2)} to ${(scale * bin.hi).toFixed(2)}` }));
  return (
    <section className="panel histogram" data-testid="difference-histogram">
      <h3>Per-question difference, candidate − baseline ({scale === 100 ? "points" : "score units"})</h3>
      <div style={{ height: 150 }}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: -16 }} barCategoryGap={1}>
            <CartesianGrid vertical={false} stroke="#eceef1" />
            <XAxis dataKey="x" tickFormatter={(x: number) => x.toFixed(scale === 100 ? 0 : 2)} fontSize={11} />
            <YAxis fontSize={11} allowDecimals={false} />
            <Tooltip formatter={(value) => [value, "questions"]} labelFormatter={(_, payload) => String(payload?.[0]?.payload?.range ?? "")} />
            <Bar dataKey="count" fill="#2456c7" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
}
