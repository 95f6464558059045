"use client";

import { useMemo, useState } from "react";
import { AppLink } from "@/components/app-link";
import { Explained } from "@/components/compare/explained";
import { compareUrl } from "@/lib/query";
import { interval, num, pValue } from "@/lib/series/format";
import type { MatrixPair, MatrixReport } from "@/lib/series/matrix";
import { useJson } from "./use-json";

type Order = "score" | "step" | "given";
type Shown = "delta" | "p_holm" | "mde" | "n_shared";
const SHOWN_LABELS: Record<Shown, string> = { delta: "difference", p_holm: "Holm-adjusted p", mde: "MDE (80% power)", n_shared: "shared questions" };

/** The pair as seen from row r against column c: the stored pair, or its mirror with signs flipped. */
function cellOf(pairs: Map<string, MatrixPair>, row: string, column: string) {
  const direct = pairs.get(`${row}\u0000${column}`);
  if (direct) return { ...direct, flipped: false };
  const mirror = pairs.get(`${column}\u0000${row}`);
  if (!mirror) return null;
  return { ...mirror, a: row, b: column, delta: mirror.delta === null ? null : -mirror.delta, ci: mirror.ci ? ([-mirror.ci[1], -mirror.ci[0]] as [number, number]) : null, flipped: true };
}

/** Blue when the row run scores higher, red when lower; strong only when Holm-significant at alpha. */
function cellStyle(delta: number | null, significant: boolean, span: number): React.CSSProperties {
  if (delta === null) return { background: "repeating-linear-gradient(45deg, #f6f7f9, #f6f7f9 4px, #e4e7eb 4px, #e4e7eb 8px)" };
  const strength = Math.min(1, Math.abs(delta) / Math.max(span, 1e-12));
  const hue = delta >= 0 ? 215 : 6;
  const lightness = significant ? 92 - 42 * strength : 96 - 10 * strength;
  return { background: `hsl(${hue} ${significant ? 70 : 25}% ${lightness}%)`, color: significant && strength > 0.6 ? "#fff" : undefined };
}

/**
 * The N x N matrix of paired differences (row minus column) on shared questions: colour by
 * difference, strong colour only where Holm's adjusted p is below alpha; each cell's tooltip has
 * the CI, p, MDE and shared questions, and a click opens the comparison.
 */
export function MatrixScreen({ query }: { query: string }) {
  const { data: report, error } = useJson<MatrixReport>(`/api/matrix?${query}`);
  const [order, setOrder] = useState<Order>("step");
  const [alpha, setAlpha] = useState(0.05);
  const [shown, setShown] = useState<Shown>("delta");
  const pairs = useMemo(() => new Map((report?.pairs ?? []).map((p) => [`${p.a}\u0000${p.b}`, p])), [report]);
  if (error) return <p className="callout error" role="alert" data-testid="matrix-problem">{error}</p>;
  if (!report) return <div className="loading-bar" />;
  const factor = report.scores.every((s) => s.mean === null || (s.mean >= 0 && s.mean <= 1)) ? 100 : 1;
  const unit = factor === 100 ? "points" : "score units";
  const runs = [...report.scores].sort((x, y) =>
    order === "score" ? (y.mean ?? -Infinity) - (x.mean ?? -Infinity) : order === "step" ? (x.step ?? -1) - (y.step ?? -1) : report.runs.indexOf(x.run_id) - report.runs.indexOf(y.run_id),
  );
  const span = Math.max(...report.pairs.map((p) => Math.abs(p.delta ?? 0)));
  const label = (s: MatrixReport["scores"][number]) => `${s.model} ${s.step !== null ? `@${s.step}` : (s.checkpoint ?? "")}`;
  return (
    <>
      <div className="compare-bar toolbar">
        <span>
          Task <b className="mono">{report.task}</b>, metric <b>{report.metric}</b> ({unit})
        </span>
        <label>
          Order by
          <select value={order} onChange={(e) => setOrder(e.target.value as Order)} data-testid="matrix-order">
            <option value="step">step</option>
            <option value="score">score</option>
            <option value="given">as named</option>
          </select>
        </label>
        <label>
          Cells show
          <select value={shown} onChange={(e) => setShown(e.target.value as Shown)} data-testid="matrix-shown">
            {(Object.keys(SHOWN_LABELS) as Shown[]).map((key) => (
              <option key={key} value={key}>
                {SHOWN_LABELS[key]}
              </option>
            ))}
          </select>
        </label>
        <label title="family-wise error rate over all pairs (Holm)">
          α
          <select value={alpha} onChange={(e) => setAlpha(Number(e.target.value))}>
            {[0.01, 0.05, 0.1].map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <span className="spacer" />
        <span className="faint">
          cell = row − column, paired on shared questions; strong colour: Holm-adjusted p &lt; α over all {report.pairs.length} pairs
        </span>
      </div>
      {report.unshared > 0 && (
        <p className="callout warn" data-testid="matrix-unshared">
          {report.unshared} pair{report.unshared === 1 ? " shares" : "s share"} no question (hatched): no paired difference. Their runs were made on different question sets.
        </p>
      )}
      <div className="matrix-frame">
        <table className="matrix" data-testid="matrix">
          <thead>
            <tr>
              <th />
              <th className="num">score ({unit})</th>
              {runs.map((s) => (
                <th key={s.run_id} className="matrix-col" title={s.run_id}>
                  <span>{label(s)}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {runs.map((row) => (
              <tr key={row.run_id}>
                <th title={row.run_id}>
                  <AppLink href={`/runs/${encodeURIComponent(row.run_id)}`}>{label(row)}</AppLink>
                </th>
                <td className="num">{num(row.mean, factor)}</td>
                {runs.map((column) => {
                  if (column.run_id === row.run_id) return <td key={column.run_id} className="matrix-self" />;
                  const cell = cellOf(pairs, row.run_id, column.run_id);
                  if (!cell) return <td key={column.run_id} />;
                  const significant = cell.p_holm !== null && cell.p_holm < alpha;
                  const shared = cell.n_shared > 0;
                  return (
                    <td
                      key={column.run_id}
                      className="matrix-cell"
                      style={cellStyle(shared ? cell.delta : null, significant, span)}
                      data-testid="matrix-cell"
                      data-a={row.run_id}
                      data-b={column.run_id}
                      data-delta={cell.delta ?? ""}
                      data-significant={significant}
                      title={
                        shared
                          ? `${row.run_id} − ${column.run_id}\n${num(cell.delta, factor)} ${unit}, 95% CI ${interval(cell.ci, factor)}\np ${pValue(cell.p)}, Holm ${pValue(cell.p_holm)}\nMDE ${num(cell.mde, factor)} ${unit}, n = ${cell.n_shared} shared${cell.n_mismatched ? `, ${cell.n_mismatched} changed` : ""}`
                          : "no shared question"
                      }
                    >
                      <AppLink href={compareUrl(row.run_id, column.run_id)}>
                        {!shared ? "—" : shown === "delta" ? num(cell.delta, factor) : shown === "mde" ? num(cell.mde, factor) : shown === "n_shared" ? cell.n_shared : pValue(cell.p_holm)}
                      </AppLink>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="matrix-legend">
        <i style={cellStyle(span, true, span)} /> row scores higher <i style={cellStyle(-span, true, span)} /> row scores lower <i style={cellStyle(span, false, span)} />
        <i style={cellStyle(-span, false, span)} /> not significant after Holm at α = {alpha}
      </div>
      <p className="small faint">
        Hover a cell for its 95% CI, p (<Explained term="mcnemar">McNemar exact</Explained> for 0/1 scores, else <Explained term="signFlip">sign-flip</Explained>), Holm-adjusted p and{" "}
        <Explained term="mde">MDE</Explained> (the smallest true difference this pair detects with 80% power); click it to compare the two runs question by question.
      </p>
    </>
  );
}
