"use client";

import { createSortedRowModel, rowSortingFeature, sortFn_alphanumeric, tableFeatures, useTable, type ColumnDef } from "@tanstack/react-table";
import { AppLink } from "@/components/app-link";
import { SortableTh } from "@/components/sortable-th";
import { interval, num, pValue, ratio, verdictOf } from "@/lib/series/format";
import type { PerTaskRow } from "@/lib/series/report";
import { encodeSeriesView } from "@/lib/series/view";
import { compareUrl } from "@/lib/query";

const features = tableFeatures({ rowSortingFeature, sortedRowModel: createSortedRowModel(), sortFns: { alphanumeric: sortFn_alphanumeric } });

/** A number cell that carries its full-precision value, so tests compare it with the CLI's JSON. */
const value = (x: number | null | undefined, shown: string, testid: string, ci?: readonly [number, number] | null) => (
  <span data-testid={testid} data-value={x ?? ""} data-ci={ci === undefined ? undefined : JSON.stringify(ci)}>
    {shown}
  </span>
);

function columns(factor: number, unit: string, k: number, lines: string[]): ColumnDef<typeof features, PerTaskRow>[] {
  return [
    {
      id: "task",
      accessorFn: (r) => r.task,
      header: "Task",
      cell: ({ row: { original: r } }) => (r.task.startsWith("suite ") ? <b>{r.task}</b> : <AppLink href={`/series?${encodeSeriesView({ lines, task: r.task, k })}`}>{r.task}</AppLink>),
    },
    { id: "line", accessorFn: (r) => r.model, header: "Line" },
    {
      id: "latest",
      accessorFn: (r) => r.latest?.mean ?? null,
      header: `Latest (${unit}, 95% CI)`,
      meta: { numeric: true, title: "score of the line's latest checkpoint with its 95% confidence interval (clustered when questions share passages)" },
      cell: ({ row: { original: r } }) =>
        r.latest && r.task.startsWith("suite ") ? (
          <span>
            {value(r.latest.mean, num(r.latest.mean, factor), "latest", r.latest.ci)} <span className="muted">{interval(r.latest.ci, factor)}</span>
          </span>
        ) : r.latest ? (
          <AppLink href={`/runs/${encodeURIComponent(r.latest.run_id)}`}>
            {value(r.latest.mean, num(r.latest.mean, factor), "latest", r.latest.ci)} <span className="muted">{interval(r.latest.ci, factor)}</span>
          </AppLink>
        ) : (
          "-"
        ),
    },
    {
      id: "change",
      accessorFn: (r) => r.change_last_k?.delta ?? null,
      header: `Change over last ${k} (95% CI)`,
      meta: { numeric: true, title: `latest checkpoint minus the one ${k - 1} checkpoints earlier, paired question by question` },
      cell: ({ row: { original: r } }) => {
        const c = r.change_last_k;
        if (!c) return <span className="faint">needs 2 checkpoints</span>;
        const verdict = verdictOf(c);
        const shown = (
          <>
            {value(c.delta, `${c.delta !== null && c.delta >= 0 ? "+" : ""}${num(c.delta, factor)}`, "change", c.ci)} <span className="muted">{interval(c.ci, factor)}</span>
          </>
        );
        const tone = verdict === "up" ? "good" : verdict === "down" ? "bad" : undefined;
        // a suite's aggregate change is over several runs per checkpoint: no one pair to open
        return r.task.startsWith("suite ") ? (
          <span className={tone}>{shown}</span>
        ) : (
          <AppLink href={compareUrl(c.to_run_id, c.from_run_id)} className={tone}>
            {shown}
          </AppLink>
        );
      },
    },
    {
      id: "verdict",
      accessorFn: (r) => verdictOf(r.change_last_k),
      header: "Verdict",
      meta: { title: "up / down: the paired 95% CI of the change excludes 0; within noise: it does not" },
      cell: ({ row: { original: r } }) => <span data-testid="verdict">{verdictOf(r.change_last_k)}</span>,
    },
    {
      id: "tau",
      accessorFn: (r) => r.kendall_tau.tau,
      header: "Kendall τ vs step",
      meta: { numeric: true, title: "rank correlation of score and training step: 1 = always improving; p tests τ = 0" },
      cell: ({ row: { original: r } }) => (
        <>
          {value(r.kendall_tau.tau, ratio(r.kendall_tau.tau), "tau")} <span className="muted">p {pValue(r.kendall_tau.p)}</span>
        </>
      ),
    },
    {
      id: "noise",
      accessorFn: (r) => r.noise,
      header: "Noise",
      meta: { numeric: true, title: `relative SD of the last ${k} checkpoint scores (Heineman et al. 2025)` },
      cell: ({ row: { original: r } }) => value(r.noise, ratio(r.noise, 4), "noise"),
    },
    {
      id: "signal",
      accessorFn: (r) => r.signal,
      header: "Signal",
      meta: { numeric: true, title: "largest gap between the lines' scores at their latest common step, over their mean" },
      cell: ({ row: { original: r } }) => value(r.signal, ratio(r.signal, 4), "signal"),
    },
    {
      id: "snr",
      accessorFn: (r) => r.snr,
      header: "SNR",
      meta: { numeric: true, title: "signal / noise: how well this benchmark separates the lines compared with its checkpoint-to-checkpoint noise" },
      cell: ({ row: { original: r } }) => value(r.snr, ratio(r.snr), "snr"),
    },
  ];
}

const meta = (column: { columnDef: { meta?: unknown } }) => (column.columnDef.meta as { numeric?: boolean; title?: string } | undefined) ?? {};

/** The selection's per-task table: latest score, recent change, monotonicity, noise, signal and SNR; sortable. */
export function PerTaskTable({ rows, factor, unit, k }: { rows: PerTaskRow[]; factor: number; unit: string; k: number }) {
  const lines = [...new Set(rows.map((r) => r.model))];
  const table = useTable({ features, columns: columns(factor, unit, k, lines), data: rows, getRowId: (r) => `${r.task}\u0000${r.model}` });
  return (
    <div className="table-frame">
      <table className="grid compact" data-testid="per-task-table">
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                return (
                  <SortableTh key={header.id} sorted={sorted} numeric={meta(header.column).numeric} title={meta(header.column).title} onClick={header.column.getToggleSortingHandler()}>
                    <table.FlexRender header={header} />
                  </SortableTh>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} data-testid="per-task-row" data-model={row.original.model}>
              {row.getAllCells().map((cell) => (
                <td key={cell.id} className={meta(cell.column).numeric ? "num" : undefined}>
                  <table.FlexRender cell={cell} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
