"use client";

import { useState } from "react";
import { headlineCi } from "@/lib/compare/markdown";
import type { PerTaskReport } from "@/lib/compare/report";
import { formatCount } from "../format";
import { formatDiff, formatInterval, formatMean, formatP } from "./numbers";

type SortKey = "name" | "n" | "a" | "b" | "delta" | "p" | "p_holm";

const COLUMNS: { key: SortKey; label: string; numeric?: boolean }[] = [
  { key: "name", label: "Task / subtask" },
  { key: "n", label: "n", numeric: true },
  { key: "a", label: "candidate", numeric: true },
  { key: "b", label: "baseline", numeric: true },
  { key: "delta", label: "Δ", numeric: true },
  { key: "delta", label: "CI", numeric: true }, // shown with its level
  { key: "p", label: "p", numeric: true },
  { key: "p_holm", label: "p (Holm)", numeric: true },
];

const name = (r: PerTaskReport) => (r.subtask === null ? r.task : `${r.task} / ${r.subtask}`);

const VALUE: Record<SortKey, (r: PerTaskReport) => string | number | null> = {
  // tasks before their subtasks, in name order
  name: (r) => `${r.task}\u0000${r.subtask ?? ""}`,
  n: (r) => r.n_shared,
  a: (r) => r.mean_candidate,
  b: (r) => r.mean_baseline,
  delta: (r) => r.delta,
  p: (r) => r.p_value?.value ?? null,
  p_holm: (r) => r.p_holm,
};

function sortRows(rows: PerTaskReport[], key: SortKey, desc: boolean): PerTaskReport[] {
  const value = VALUE[key];
  return [...rows].sort((x, y) => {
    const vx = value(x);
    const vy = value(y);
    if (vx === null || vy === null) return vx === vy ? 0 : vx === null ? 1 : -1; // unknowns last
    const order = vx < vy ? -1 : vx > vy ? 1 : 0;
    return desc ? -order : order;
  });
}

interface Props {
  rows: PerTaskReport[];
  /** The CIs are the analytic ones until the bootstraps are done. */
  bootstrapPending: boolean;
  scale: number;
  /** Confidence level of the intervals, in percent. */
  level: number;
  scope: { task: string | null; subtask: string | null };
  onScope: (task: string, subtask: string | null) => void;
}

/** One line per task and per subtask with its own paired comparison; a click scopes the page to it. */
export function TaskTable({ rows, bootstrapPending, scale, level, scope, onScope }: Props) {
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: "name", desc: false });
  const sorted = sortRows(rows, sort.key, sort.desc);
  return (
    <section className="panel">
      <h3>
        Tasks and subtasks{" "}
        <span className="faint">
          (scores and Δ = candidate − baseline in {scale === 100 ? "points" : "score units"}; p adjusted by Holm within tasks and within subtasks; click a row to scope the page to it
          {bootstrapPending ? "; analytic CIs while the bootstrap runs" : ""})
        </span>
      </h3>
      <div className="table-frame task-frame">
        <table className="grid compact" data-testid="task-table">
          <thead>
            <tr>
              {COLUMNS.map((column) => {
                const active = sort.key === column.key && column.label !== "CI";
                return (
                  <th
                    key={column.label}
                    className={`sortable${column.numeric ? " num" : ""}`}
                    aria-sort={active ? (sort.desc ? "descending" : "ascending") : "none"}
                    onClick={() => setSort((s) => ({ key: column.key, desc: s.key === column.key ? !s.desc : column.key !== "name" }))}
                  >
                    {column.label === "CI" ? `${level}% CI` : column.label}
                    <span className="sort">{active ? (sort.desc ? "▼" : "▲") : ""}</span>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {sorted.map((r) => {
              const current = scope.task === r.task && scope.subtask === r.subtask;
              const significant = r.p_holm !== null && r.p_holm < 0.05;
              return (
                <tr
                  key={name(r)}
                  className={current ? "selected" : undefined}
                  data-testid="task-row"
                  data-task={r.task}
                  data-subtask={r.subtask ?? ""}
                  onClick={() => onScope(r.task, r.subtask)}
                >
                  <td className={r.subtask === null ? "strong" : "indent"}>{r.subtask ?? r.task}</td>
                  <td className="num">{formatCount(r.n_shared)}</td>
                  <td className="num">{formatMean(r.mean_candidate, scale)}</td>
                  <td className="num">{formatMean(r.mean_baseline, scale)}</td>
                  <td className={`num ${r.delta === null ? "" : significant ? (r.delta > 0 ? "good" : "bad") : ""}`}>{formatDiff(r.delta, scale, true)}</td>
                  <td className="num muted">{formatInterval(headlineCi(r), scale)}</td>
                  <td className="num">{formatP(r.p_value?.value)}</td>
                  <td className={`num${significant ? " strong" : ""}`}>{formatP(r.p_holm)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
