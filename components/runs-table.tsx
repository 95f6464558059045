"use client";

import { AppLink } from "@/components/app-link";
import { useSearchParams } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { columnFilteringFeature, rowSortingFeature, tableFeatures, useTable, type ColumnDef } from "@tanstack/react-table";
import { BrokenRuns } from "@/components/broken-runs";
import { SeriesLinks } from "@/components/series/series-links";
import type { RunsPage } from "@/lib/catalog/runs-query";
import { candidateFirst, compareUrl, decodeRunsTableState, encodeRunsTableState, filterProblem, RUN_COLUMNS, type RunRow, type RunsTableState } from "@/lib/query";
import { scoreWithSe } from "@/lib/format/score";
import { formatCount, formatTime } from "./format";
import { useRunProgress } from "./launch/live-launches";
import { QuestionCount, RunProgress } from "./launch/progress";
import { SortableTh } from "./sortable-th";
import { StatusBadge } from "./status-badge";

/** A run's status; a run going on in this server shows its live progress; a run changed since it was indexed says why it is broken. */
function StatusCell({ row }: { row: RunRow }) {
  const live = useRunProgress(row.runId);
  if (row.problem !== null) {
    return (
      <span className="run-problem" data-testid="run-problem">
        <StatusBadge status="broken" /> <span className="reason">{row.problem}</span>
      </span>
    );
  }
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

// sorting and filtering happen on the server, over every run (lib/catalog/runs-query.ts): the table only holds their state
const features = tableFeatures({ rowSortingFeature, columnFilteringFeature });

/** Rows a page shows. */
const PAGE_SIZE = 100;
/** How often the table asks again, so runs written by other processes and machines show. */
const REFRESH_MS = 5000;
/** Typing in a filter asks once it pauses. */
const TYPING_MS = 250;

const columns: ColumnDef<typeof features, RunRow>[] = [
  {
    accessorKey: "runId",
    header: "Run",
    cell: (info) => (
      <AppLink href={`/runs/${encodeURIComponent(info.row.original.runId)}`} className="mono run-id">
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

/** Whether every run, not only this page's, has been checked against its folder: the server does it in the background. */
function EveryRunCheck({ checked }: { checked: RunsPage["checked"] }) {
  if (checked.error)
    return (
      <p className="callout error" role="alert" data-testid="every-run-check">
        Checking every run&apos;s files failed: {checked.error}
      </p>
    );
  return (
    <p className="muted" data-testid="every-run-check">
      {checked.at === null
        ? "Checking every run's files against the index; runs found broken will be listed below."
        : `Every run's files checked against the index at ${checked.at.slice(11, 19)} UTC; the rows shown, just now.`}
    </p>
  );
}

const query = (state: RunsTableState, page: number) => [encodeRunsTableState(state), page > 1 ? `page=${page}` : ""].filter(Boolean).join("&");

/** Column options beyond TanStack's: right-aligned numbers, and an example filter. */
function columnMeta(column: { columnDef: { meta?: unknown } }): { numeric?: boolean; hint?: string } {
  return (column.columnDef.meta as { numeric?: boolean; hint?: string } | undefined) ?? {};
}

/**
 * The runs of the workspace, a page at a time: sortable and filterable by any column over every
 * run (the server sorts and filters), asked again every few seconds; pick two to compare.
 */
export function RunsCatalog({ initial }: { initial: RunsPage }) {
  const [data, setData] = useState(initial);
  const [selected, setSelected] = useState<RunRow[]>([]);
  // sorting, filters and the page live in the address, so a link or a reload keeps them
  const params = useSearchParams();
  const [state, setState] = useState<RunsTableState>(() => decodeRunsTableState(new URLSearchParams(params.toString()), RUN_COLUMNS));
  const [page, setPage] = useState(() => Math.floor(initial.offset / PAGE_SIZE) + 1);
  const [problem, setProblem] = useState<string | null>(null);
  const current = useRef(query(state, page));
  const asked = useRef(0);

  const fetchPage = async (wanted: string) => {
    const ask = ++asked.current;
    try {
      const response = await fetch(`/api/runs?${wanted}${wanted ? "&" : ""}limit=${PAGE_SIZE}`);
      const body = (await response.json()) as RunsPage & { error?: string };
      // an answer to an older question (the filters changed meanwhile) is dropped
      if (ask !== asked.current) return;
      if (!response.ok) setProblem(body.error ?? `the runs could not be listed (HTTP ${response.status})`);
      else {
        setProblem(null);
        setData(body);
      }
    } catch (error) {
      if (ask === asked.current) setProblem(`the runs could not be listed: ${(error as Error).message}; is the server running?`);
    }
  };

  // a changed query is asked for (after typing pauses); every query is asked again every few seconds
  useEffect(() => {
    const wanted = query(state, page);
    const changed = wanted !== current.current;
    current.current = wanted;
    const timer = changed ? setTimeout(() => void fetchPage(wanted), TYPING_MS) : null;
    const refresh = setInterval(() => void fetchPage(wanted), REFRESH_MS);
    return () => {
      if (timer) clearTimeout(timer);
      clearInterval(refresh);
    };
  }, [state, page]);
  // the server rendered the page again (a run started or ended here): ask for the current query
  const rendered = useRef(initial);
  useEffect(() => {
    if (rendered.current === initial) return;
    rendered.current = initial;
    void fetchPage(current.current);
  }, [initial]);

  const update = (patch: Partial<RunsTableState>) => {
    const next = { ...state, ...patch };
    const others = new URLSearchParams(window.location.search);
    for (const key of [...others.keys()]) if (key === "sort" || key === "page" || key.startsWith("filter.")) others.delete(key);
    const address = [others.toString(), query(next, 1)].filter(Boolean).join("&");
    window.history.replaceState(null, "", address ? `?${address}` : window.location.pathname);
    setState(next);
    setPage(1);
  };
  const goTo = (next: number) => {
    const others = new URLSearchParams(window.location.search);
    others.delete("page");
    if (next > 1) others.set("page", String(next));
    window.history.replaceState(null, "", others.size > 0 ? `?${others.toString()}` : window.location.pathname);
    setPage(next);
  };
  const runs = data.rows;
  const table = useTable({
    features,
    columns,
    data: runs,
    getRowId: (row) => row.runId,
    state,
    manualSorting: true,
    manualFiltering: true,
    onSortingChange: (updater) => update({ sorting: typeof updater === "function" ? updater(state.sorting) : updater }),
    onColumnFiltersChange: (updater) => update({ columnFilters: typeof updater === "function" ? updater(state.columnFilters) : updater }),
  });

  const [swapped, setSwapped] = useState(false);
  // picked runs stay picked across pages and filters
  const toggle = (run: RunRow) => {
    setSwapped(false);
    setSelected((current) => (current.some((r) => r.runId === run.runId) ? current.filter((r) => r.runId !== run.runId) : [...current, run].slice(-2)));
  };
  const visible = table.getRowModel().rows;
  const pages = Math.max(1, Math.ceil(data.matched / PAGE_SIZE));
  const first = data.matched === 0 ? 0 : data.offset + 1;
  const last = data.offset + runs.length;
  const sides = selected.length === 2 ? candidateFirst(selected[0], selected[1]) : null;
  const [candidate, baseline] = sides ? (swapped ? [sides[1], sides[0]] : sides) : [null, null];

  return (
    <>
      <SeriesLinks lines={data.series} />
      {problem && (
        <p className="callout error" role="alert" data-testid="runs-problem">
          {problem}
        </p>
      )}
      <div className="toolbar">
        <span className="muted" data-testid="runs-count">
          {data.matched === data.total ? `${formatCount(data.total)} runs` : `${formatCount(data.matched)} of ${formatCount(data.total)} runs`}
        </span>
        {pages > 1 && (
          <span className="pager">
            <button type="button" className="link" disabled={page <= 1} onClick={() => goTo(page - 1)} data-testid="page-previous">
              ← previous
            </button>{" "}
            <span className="muted" data-testid="runs-page">
              rows {formatCount(first)}–{formatCount(last)}, page {formatCount(page)} of {formatCount(pages)}
            </span>{" "}
            <button type="button" className="link" disabled={page >= pages} onClick={() => goTo(page + 1)} data-testid="page-next">
              next →
            </button>
          </span>
        )}
        <span className="spacer" />
        <span className="muted" data-testid="picked">
          {selected.length === 0 && "Select two runs to compare"}
          {selected.length === 1 && (
            <>
              <span className="mono">{selected[0].runId}</span>; select one more
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
                    {/* size 1: the input fills its column (CSS) without widening it, so the run id need not wrap */}
                    <input
                      className="filter-input"
                      size={1}
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
              const isSelected = selected.some((r) => r.runId === row.original.runId);
              return (
                <tr key={row.id} className={isSelected ? "selected" : undefined} data-run-id={row.original.runId}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Select ${row.original.runId} for comparison`}
                      checked={isSelected}
                      disabled={row.original.problem !== null && !isSelected}
                      onChange={() => toggle(row.original)}
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
      <EveryRunCheck checked={data.checked} />
      <BrokenRuns runs={data.broken} />
    </>
  );
}
