"use client";

import { AppLink } from "@/components/app-link";
import { useSearchParams } from "next/navigation";
import { useState } from "react";
import {
  columnFilteringFeature,
  createFilteredRowModel,
  createSortedRowModel,
  rowSortingFeature,
  sortFn_alphanumeric,
  tableFeatures,
  useTable,
  type ColumnDef,
  type FilterFn,
} from "@tanstack/react-table";
import { candidateFirst, compareUrl, decodeRunsTableState, encodeRunsTableState, filterProblem, matchesFilter, type RunRow, type RunsTableState } from "@/lib/query";
import { scoreWithSe } from "@/lib/format/score";
import { formatCount, formatTime } from "./format";
import { useRunProgress } from "./launch/live-launches";
import { QuestionCount, RunProgress } from "./launch/progress";
import { SortableTh } from "./sortable-th";
import { StatusBadge } from "./status-badge";

/** A run's status; a run going on in this server shows its live progress. */
function StatusCell({ row }: { row: RunRow }) {
  const live = useRunProgress(row.runId);
  if (live && live.run.status === "running") return <RunProgress run={live.run} />;
  return (
    <>
      {/* a run whose cluster job ended without ending it reads running; the workspace's live view knows it was interrupted */}
      <StatusBadge status={live && live.job === null ? live.run.status : row.status} />
      {row.previous && (
        <>
          {" "}
          <AppLink href={compareUrl(row.runId, row.previous)} data-testid="compare-previous" title={`compare with ${row.previous}`}>
            vs previous
          </AppLink>
        </>
      )}
    </>
  );
}

const features = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  columnFilteringFeature,
  filteredRowModel: createFilteredRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric },
});

const filterByExpression: FilterFn<typeof features, RunRow> = (row, columnId, filter) => matchesFilter(row.getValue(columnId), String(filter ?? ""));

const columns: ColumnDef<typeof features, RunRow>[] = [
  {
    accessorKey: "runId",
    header: "Run",
    cell: (info) => (
      <AppLink href={`/runs/${encodeURIComponent(info.row.original.runId)}`} className="mono">
        {info.row.original.runId}
      </AppLink>
    ),
  },
  { accessorKey: "task", header: "Task" },
  { accessorKey: "model", header: "Model" },
  { accessorKey: "checkpoint", header: "Checkpoint", cell: (info) => info.row.original.checkpoint ?? "—" },
  { accessorKey: "step", header: "Step", meta: { numeric: true, hint: ">=1000" }, cell: (info) => formatCount(info.row.original.step) },
  {
    accessorKey: "n",
    header: "N",
    meta: { numeric: true, hint: ">100" },
    cell: (info) => {
      const { runId, n, planned } = info.row.original;
      return <QuestionCount runId={runId} done={n} planned={planned} />;
    },
  },
  {
    accessorKey: "value",
    header: "Primary metric",
    meta: { numeric: true, hint: ">0.5" },
    cell: (info) => {
      const { value, se, metric, metricN, n } = info.row.original;
      return (
        <span title={`${metric}${se === null ? "" : `: ± one standard error (about a 68% interval) over ${formatCount(metricN ?? n)} scored questions`}`} data-testid="primary-metric-cell">
          <span className="faint">{metric} </span>
          {scoreWithSe(value, se, metricN, n)}
        </span>
      );
    },
  },
  { accessorKey: "status", header: "Status", cell: (info) => <StatusCell row={info.row.original} /> },
  { accessorKey: "created", header: "Created (UTC)", cell: (info) => <span className="muted">{formatTime(info.row.original.created)}</span> },
];

const defaultColumn = { filterFn: filterByExpression };

const columnId = (column: { accessorKey?: unknown; id?: unknown }) => String(column.id ?? column.accessorKey);

/** Column options beyond TanStack's: right-aligned numbers, and an example filter. */
function columnMeta(column: { columnDef: { meta?: unknown } }): { numeric?: boolean; hint?: string } {
  return (column.columnDef.meta as { numeric?: boolean; hint?: string } | undefined) ?? {};
}

/** Every readable run: sortable and filterable by any column; pick two to compare. */
export function RunsTable({ runs }: { runs: RunRow[] }) {
  const [selected, setSelected] = useState<string[]>([]);
  // sorting and filters live in the address, so a link or a reload keeps them
  const params = useSearchParams();
  const [state, setState] = useState<RunsTableState>(() => decodeRunsTableState(new URLSearchParams(params.toString()), columns.map(columnId)));
  const update = (patch: Partial<RunsTableState>) =>
    setState((current) => {
      const next = { ...current, ...patch };
      const others = new URLSearchParams(window.location.search);
      for (const key of [...others.keys()]) if (key === "sort" || key.startsWith("filter.")) others.delete(key);
      const query = [others.toString(), encodeRunsTableState(next)].filter(Boolean).join("&");
      window.history.replaceState(null, "", query ? `?${query}` : window.location.pathname);
      return next;
    });
  const table = useTable({
    features,
    columns,
    data: runs,
    defaultColumn,
    getRowId: (row) => row.runId,
    state,
    onSortingChange: (updater) => update({ sorting: typeof updater === "function" ? updater(state.sorting) : updater }),
    onColumnFiltersChange: (updater) => update({ columnFilters: typeof updater === "function" ? updater(state.columnFilters) : updater }),
  });

  const [swapped, setSwapped] = useState(false);
  const toggle = (runId: string) => {
    setSwapped(false);
    setSelected((current) => (current.includes(runId) ? current.filter((id) => id !== runId) : [...current, runId].slice(-2)));
  };
  const visible = table.getRowModel().rows;
  const picked = selected.flatMap((id) => runs.filter((run) => run.runId === id));
  const sides = picked.length === 2 ? candidateFirst(picked[0], picked[1]) : null;
  const [candidate, baseline] = sides ? (swapped ? [sides[1], sides[0]] : sides) : [null, null];

  return (
    <>
      <div className="toolbar">
        <span className="muted" data-testid="runs-count">
          {visible.length === runs.length ? `${runs.length} runs` : `${visible.length} of ${runs.length} runs`}
        </span>
        <span className="spacer" />
        <span className="muted" data-testid="picked">
          {selected.length === 0 && "Select two runs to compare"}
          {selected.length === 1 && (
            <>
              <span className="mono">{selected[0]}</span>; select one more
            </>
          )}
          {candidate && baseline && (
            <>
              <span className="role-tag">candidate</span> <span className="mono" data-testid="picked-candidate">{candidate.runId}</span> vs{" "}
              <span className="role-tag">baseline</span> <span className="mono" data-testid="picked-baseline">{baseline.runId}</span>
              <span className="faint">{swapped ? " (swapped)" : " (the later checkpoint is the candidate)"}</span>{" "}
              <button type="button" className="link" onClick={() => setSwapped((s) => !s)} data-testid="picker-swap">
                swap
              </button>
            </>
          )}
        </span>
        {candidate && baseline ? (
          <AppLink className="button primary" href={compareUrl(candidate.runId, baseline.runId)} data-testid="compare-link">
            Compare candidate with baseline
          </AppLink>
        ) : (
          <span className="button primary" aria-disabled="true">
            Compare candidate with baseline
          </span>
        )}
      </div>
      <div className="table-frame">
        <table className="grid" data-testid="runs-table">
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                <th style={{ width: 28 }} />
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const { numeric } = columnMeta(header.column);
                  return (
                    <SortableTh key={header.id} sorted={sorted} numeric={numeric} onClick={header.column.getToggleSortingHandler()}>
                      <table.FlexRender header={header} />
                    </SortableTh>
                  );
                })}
              </tr>
            ))}
            <tr className="filters">
              <th />
              {table.getAllLeafColumns().map((column) => {
                const value = String(column.getFilterValue() ?? "");
                const problem = filterProblem(value);
                return (
                  <th key={column.id}>
                    <input
                      className="filter-input"
                      aria-label={`Filter ${String(column.columnDef.header)}`}
                      aria-invalid={problem !== null}
                      title={problem ?? undefined}
                      placeholder={columnMeta(column).hint ? `e.g. ${columnMeta(column).hint}` : "filter"}
                      value={value}
                      onChange={(event) => column.setFilterValue(event.target.value)}
                    />
                    {problem && (
                      <div className="field-error" role="alert" data-testid="filter-problem">
                        {problem}
                      </div>
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {visible.map((row) => {
              const isSelected = selected.includes(row.original.runId);
              return (
                <tr key={row.id} className={isSelected ? "selected" : undefined} data-run-id={row.original.runId}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Select ${row.original.runId} for comparison`}
                      checked={isSelected}
                      onChange={() => toggle(row.original.runId)}
                    />
                  </td>
                  {row.getAllCells().map((cell) => {
                    const { numeric } = columnMeta(cell.column);
                    return (
                      <td key={cell.id} className={numeric ? "num" : undefined}>
                        <table.FlexRender cell={cell} />
                      </td>
                    );
                  })}
                </tr>
              );
            })}
            {visible.length === 0 && (
              <tr>
                <td colSpan={columns.length + 1} className="muted">
                  No run matches these filters.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
