"use client";

import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { AppLink } from "@/components/app-link";
import { pValue } from "@/lib/series/format";
import type { FlipRow } from "@/lib/series/report";
import { compareUrl } from "@/lib/query";
import type { TooltipState } from "./colors";

interface Bar {
  label: string;
  learned: number;
  /** Drawn below zero. */
  forgotten: number;
  row: FlipRow;
}

function FlipTooltip({ active, payload, binary }: TooltipState & { binary: boolean }) {
  const bar = payload?.[0]?.payload as Bar | undefined;
  if (!active || !bar) return null;
  const { row } = bar;
  return (
    <div className="chart-tooltip">
      <b>
        {row.from_step ?? row.from_run_id} → {row.to_step ?? row.to_run_id}
      </b>
      <div className="good">
        {binary ? "learned (wrong → right)" : "rose"}: {row.learned}
      </div>
      <div className="bad">
        {binary ? "forgotten (right → wrong)" : "fell"}: {row.forgotten}
      </div>
      <div>
        {binary ? "McNemar exact" : "sign-flip"} p {pValue(row.p)}
      </div>
      <div className="faint">click a bar to list those questions</div>
    </div>
  );
}

/**
 * Questions that flipped between consecutive checkpoints of one line: learned above zero,
 * forgotten below, with McNemar's exact p (or the sign-flip p for other scores) per step. A click
 * opens the comparison of the two checkpoints filtered to that cell.
 */
export function FlipsChart({ rows, model, binary, margin }: { rows: readonly FlipRow[]; model: string; binary: boolean; margin: number }) {
  const router = useRouter();
  const data: Bar[] = rows.map((row) => ({ label: String(row.to_step ?? row.to_run_id), learned: row.learned ?? 0, forgotten: -(row.forgotten ?? 0), row }));
  const changed = rows.some((r) => r.n_mismatched > 0);
  const open = (bar: Bar | undefined, cell: "only_a" | "only_b") => bar && router.push(compareUrl(bar.row.to_run_id, bar.row.from_run_id, binary ? cell : undefined));
  return (
    <section className="panel" data-testid="flips-chart" data-model={model}>
      <h3>
        Flips between consecutive checkpoints: {model}{" "}
        <span className="faint">{binary ? "learned above, forgotten below" : `rose / fell by more than ${margin}`}; bar at the later checkpoint</span>
      </h3>
      <div style={{ height: 200 }}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} stackOffset="sign" margin={{ top: 8, right: 16, bottom: 18, left: 8 }}>
            <CartesianGrid stroke="#eceef1" vertical={false} />
            <XAxis dataKey="label" fontSize={11} label={{ value: "checkpoint (step)", position: "insideBottom", offset: -10, fontSize: 11 }} />
            <YAxis fontSize={11} tickFormatter={(v: number) => String(Math.abs(v))} label={{ value: "questions", angle: -90, position: "insideLeft", fontSize: 11, dy: 30 }} />
            <ReferenceLine y={0} stroke="#1d2129" />
            <Tooltip content={(props) => <FlipTooltip active={props.active} label={props.label as string | number | undefined} payload={props.payload} binary={binary} />} />
            <Bar dataKey="learned" stackId="flips" fill="#17803d" isAnimationActive={false} cursor="pointer" onClick={(entry) => open(entry.payload as Bar, "only_a")} />
            <Bar dataKey="forgotten" stackId="flips" fill="#c0392b" isAnimationActive={false} cursor="pointer" onClick={(entry) => open(entry.payload as Bar, "only_b")} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <table className="grid compact flip-table" data-testid="flip-table">
        <thead>
          <tr>
            <th>from → to</th>
            <th className="num">{binary ? "learned" : "rose"}</th>
            <th className="num">{binary ? "forgotten" : "fell"}</th>
            <th className="num" title={binary ? "McNemar's exact test on the discordant questions" : "paired sign-flip test"}>
              p
            </th>
            {changed && (
              <th className="num" title="questions whose text or gold answer changed between the two checkpoints (their hash differs): never paired">
                changed questions
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.to_run_id} data-testid="flip-row" data-to={row.to_run_id}>
              <td>
                {row.from_step ?? row.from_run_id} → {row.to_step ?? row.to_run_id}
              </td>
              <td className="num" data-value={row.learned ?? ""}>
                <AppLink className="good" href={compareUrl(row.to_run_id, row.from_run_id, binary ? "only_a" : undefined)} data-testid="learned-link">
                  {row.learned ?? "-"}
                </AppLink>
              </td>
              <td className="num" data-value={row.forgotten ?? ""}>
                <AppLink className="bad" href={compareUrl(row.to_run_id, row.from_run_id, binary ? "only_b" : undefined)} data-testid="forgotten-link">
                  {row.forgotten ?? "-"}
                </AppLink>
              </td>
              <td className="num" data-value={row.p ?? ""}>
                {pValue(row.p)}
              </td>
              {changed && <td className={`num${row.n_mismatched > 0 ? " bad" : ""}`}>{row.n_mismatched}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
