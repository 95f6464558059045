"use client";

import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import { AppLink } from "@/components/app-link";
import { useEffect, useMemo, useState } from "react";
import { alignedRow, countInScope, rowKey, type AlignedColumns } from "@/lib/compare/columns";
import { prestartCompareWorkers, runSource, useComparison, type CompareQuery, type PairingFilter, type RunSource } from "@/lib/query";
import { COMPARE_PAGE } from "@/lib/publish/published-index";
import type { RunManifest, RunStatus } from "@/lib/schema";
import { inTableOrder } from "@/lib/compare/markdown";
import { pairingSentence } from "@/lib/compare/pairing";
import type { PerTaskReport } from "@/lib/compare/report";
import { encodeView, swapSides, type CompareView } from "@/lib/share/view-state";
import { formatCount } from "../format";
import { StatusBadge } from "../status-badge";
import { CompareDetail } from "./compare-detail";
import { CompareTable } from "./compare-table";
import { CopyButtons } from "./copy-buttons";
import { PublishButton } from "./publish-button";
import { Headline } from "./headline";
import { SettingsBar } from "./settings-bar";
import { TaskTable } from "./task-table";
import { TwoByTwo } from "./two-by-two";

// recharts is most of this page's code: loaded apart, after the numbers
const DifferenceHistogram = dynamic(() => import("./difference-histogram").then((m) => m.DifferenceHistogram), { ssr: false });
const SubtaskDifferenceChart = dynamic(() => import("./subtask-difference-chart").then((m) => m.SubtaskDifferenceChart), { ssr: false });

// as soon as this page's code loads: the workers boot while React hydrates
prestartCompareWorkers();

interface Run {
  manifest: RunManifest;
  status: RunStatus;
  pin: string | null;
  /** Where its files are, when not the app's routes (a published viewer). */
  urls?: RunSource["urls"];
}

interface Props {
  view: CompareView;
  a: Run;
  b: Run;
  /** The metric compared when the view names none. */
  defaultMetric: string;
  metrics: string[];
  notes: string[];
  /** Publishes A against B as a static viewer (the app, when EVALBENCH_PUBLISH is set): its folder's address, or why not. */
  publish?: (a: string, b: string) => Promise<{ base: string } | { error: string }>;
}

const PAIRING_OPTIONS: { value: PairingFilter; label: string }[] = [
  { value: "all", label: "all questions" },
  { value: "shared", label: "shared" },
  { value: "mismatch", label: "mismatched (hash differs)" },
  { value: "only_a", label: "only in the candidate" },
  { value: "only_b", label: "only in the baseline" },
];

const CELL_LABELS = { both_right: "both right", only_a: "only candidate right", only_b: "only baseline right", both_wrong: "both wrong" } as const;

const label = (m: RunManifest) => ({ run_id: m.run_id, label: [m.model.name, m.model.checkpoint, m.task.name].filter(Boolean).join(" ") });

/** Aligned position of every question key, to reopen the question a link names. */
function positionsByKey(columns: AlignedColumns | undefined): Map<string, number> {
  const map = new Map<string, number>();
  if (columns) for (let i = 0; i < columns.pairing.length; i++) map.set(rowKey(alignedRow(columns, i)), i);
  return map;
}

/**
 * The compare page: the candidate (view.a) against the baseline (view.b), differences candidate − baseline. The whole view lives in one state object
 * that is mirrored into the URL, so a copied link reopens exactly this view.
 */
export function ComparisonScreen({ view: initial, a, b, defaultMetric, metrics, notes, publish }: Props) {
  const [view, setView] = useState<CompareView>({ ...initial, pinA: a.pin, pinB: b.pin });
  const router = useRouter();
  const update = (patch: Partial<CompareView>) => setView((v) => ({ ...v, ...patch }));
  const metric = view.metric ?? defaultMetric;

  useEffect(() => {
    // relative to the page itself, the app's /compare or a published viewer's compare.html
    const search = `?${encodeView(view)}`;
    if (search !== window.location.search) window.history.replaceState(null, "", search);
  }, [view]);

  // search as the user types, but not on every keystroke
  const [searchText, setSearchText] = useState(initial.search);
  useEffect(() => {
    const timer = setTimeout(() => setView((v) => (v.search === searchText ? v : { ...v, search: searchText })), 250);
    return () => clearTimeout(timer);
  }, [searchText]);

  const sources = useMemo(() => ({ a: { ...runSource(a.manifest, a.status), urls: a.urls }, b: { ...runSource(b.manifest, b.status), urls: b.urls } }), [a, b]);
  const query: CompareQuery = { task: view.task, subtask: view.subtask, cell: view.cell, pairing: view.pairing, search: view.search, sort: view.sort, desc: view.desc };
  const { aligned, alignError, stats, rows } = useComparison(
    { source: sources.a, primaryMetric: a.manifest.primary_metric },
    { source: sources.b, primaryMetric: b.manifest.primary_metric },
    metric,
    query,
    { seed: view.seed, B: view.B, alpha: view.alpha },
  );

  // built only once a question is open: it walks every aligned row
  const hasSelection = view.selected !== null;
  const byKey = useMemo(() => (hasSelection ? positionsByKey(aligned?.columns) : null), [aligned, hasSelection]);
  const open = view.selected === null ? null : (byKey?.get(view.selected) ?? null);
  const [cursor, setCursor] = useState<number | null>(null);
  const onOpen = (position: number | null) => update({ selected: position === null || !aligned ? null : rowKey(alignedRow(aligned.columns, position)) });

  // once published, links name the published viewer, with this view's parameters
  const [published, setPublished] = useState<string | null>(null);
  const publishedLink = published === null ? null : `${published}${COMPARE_PAGE}?${encodeView(view)}`;

  const report = stats.report;
  const error = alignError ?? stats.error ?? rows.error;
  const scale = report?.scale ?? 100;
  const level = Math.round((1 - view.alpha) * 100);
  const pairing = report && pairingSentence(report.pairing);
  const inScope = useMemo(() => (aligned ? countInScope(aligned.columns, { task: view.task, subtask: view.subtask }) : null), [aligned, view.task, view.subtask]);

  return (
    <>
      <div className="page-head">
        <AppLink href="/" className="muted">
          Runs /
        </AppLink>
        <h1>Compare</h1>
        <RunName role="candidate" run={a} />
        <span className="faint">vs</span>
        <RunName role="baseline" run={b} />
        <button type="button" className="button" data-testid="swap" title="Exchange the candidate and the baseline (the difference changes sign)" onClick={() => router.push(`/compare?${encodeView(swapSides(view))}`)}>
          ⇄ Swap
        </button>
        <span className="spacer" />
        {publish && <PublishButton publish={() => publish(a.manifest.run_id, b.manifest.run_id)} onPublished={setPublished} link={publishedLink} />}
        <CopyButtons report={stats.stage === "final" ? report : null} a={label(a.manifest)} b={label(b.manifest)} link={() => publishedLink ?? window.location.href} />
      </div>
      {notes.map((note) => (
        <p key={note} className="callout warn" data-testid="compare-note">
          {note}
        </p>
      ))}
      <div className="compare-bar">
        <Scope view={view} onClear={() => update({ task: null, subtask: null })} onTask={(task) => update({ task, subtask: null })} />
        <span className="spacer" />
        <SettingsBar view={view} metric={metric} metrics={metrics} onChange={(patch) => update(patch.metric === defaultMetric ? { ...patch, metric: null } : patch)} />
      </div>
      {pairing && (
        <p className="callout" data-testid="pairing-note">
          {pairing}
        </p>
      )}
      {error && (
        <p className="callout error" role="alert" data-testid="compare-error">
          {error}
        </p>
      )}
      {!report && !error && (
        <div className="headline loading" data-testid="compare-loading">
          <div className="loading-bar" />
          <p className="muted">Loading both runs, lining up their questions and computing the statistics…</p>
        </div>
      )}
      {report && (
        <div className="compare-top">
          <Headline report={report} pending={stats.pending} bootstrapPending={stats.stage === "analytic"} stale={stats.stale} ms={stats.ms} />
          {report.mcnemar ? (
            <TwoByTwo counts={report.mcnemar} active={view.cell} onPick={(cell) => update({ cell })} />
          ) : stats.differences && stats.differences.length > 0 ? (
            <DifferenceHistogram bins={stats.differences} scale={scale} />
          ) : null}
        </div>
      )}
      {report && report.n_shared > 0 && report.per_task.length > 0 && (
        <div className="compare-tasks">
          <TaskTable rows={report.per_task} bootstrapPending={stats.stage === "analytic"} scale={scale} level={level} scope={{ task: view.task, subtask: view.subtask }} onScope={(task, subtask) => update({ task, subtask })} />
          <SubtaskDifferenceChart rows={plotted(report.per_task)} scale={scale} level={level} />
        </div>
      )}
      {/* runs that cannot be read have no questions to search or count */}
      {!alignError && (
        <div className="toolbar question-bar">
          <input type="search" placeholder="Search responses, prompt, target, id…" aria-label="Search questions" value={searchText} onChange={(e) => setSearchText(e.target.value)} />
          <select aria-label="Filter by pairing" value={view.pairing} onChange={(e) => update({ pairing: e.target.value as PairingFilter })}>
            {PAIRING_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
          {view.cell && (
            <button type="button" className="chip" data-testid="cell-filter" onClick={() => update({ cell: null })} title="Clear this filter">
              {CELL_LABELS[view.cell]} ✕
            </button>
          )}
          <span className="spacer" />
          <span className="status-line" data-testid="question-count">
            {rows.loadingText
              ? "Loading both runs' text for search…"
              : rows.positions && aligned
                ? `${formatCount(rows.positions.length)} of ${formatCount(inScope)} questions${view.task ? " in scope" : ""} · j/k or ↑/↓ move, Enter opens, Esc closes`
                : "Loading questions…"}
          </span>
        </div>
      )}
      {aligned && rows.positions && (
        <div className={open === null ? "browser compare-browser no-detail" : "browser compare-browser"}>
          <CompareTable
            columns={aligned.columns}
            positions={rows.positions}
            pending={rows.pending}
            sources={sources}
            sort={{ key: view.sort, desc: view.desc }}
            onSort={(sort) => update({ sort: sort.key, desc: sort.desc })}
            cursor={cursor ?? open}
            open={open}
            onCursor={setCursor}
            onOpen={onOpen}
          />
          {open !== null && (
            <CompareDetail
              key={open}
              row={alignedRow(aligned.columns, open)}
              records={{ a: nonNegative(aligned.columns.rowA[open]), b: nonNegative(aligned.columns.rowB[open]) }}
              sources={sources}
              onClose={() => onOpen(null)}
            />
          )}
        </div>
      )}
    </>
  );
}

const nonNegative = (row: number) => (row >= 0 ? row : null);

/** What the difference chart plots: the subtasks in scope, or the tasks when they have none. */
function plotted(rows: PerTaskReport[]): PerTaskReport[] {
  const subtasks = rows.filter((r) => r.subtask !== null);
  return inTableOrder(subtasks.length > 0 ? subtasks : rows);
}

function RunName({ role, run }: { role: "candidate" | "baseline"; run: Run }) {
  return (
    <span className="run-name" data-testid={`run-${role}`}>
      <span className="role">{role}</span>
      <AppLink href={`/runs/${encodeURIComponent(run.manifest.run_id)}`} className="mono">
        {run.manifest.run_id}
      </AppLink>
      {run.status !== "complete" && <StatusBadge status={run.status} />}
    </span>
  );
}

function Scope({ view, onClear, onTask }: { view: CompareView; onClear: () => void; onTask: (task: string) => void }) {
  return (
    <span className="scope" data-testid="scope">
      <span className="faint">Scope</span>
      {view.task === null ? (
        <b>all tasks</b>
      ) : (
        <>
          <button type="button" className="link" onClick={onClear}>
            all tasks
          </button>
          <span className="faint">›</span>
          {view.subtask === null ? (
            <b>{view.task}</b>
          ) : (
            <>
              <button type="button" className="link" onClick={() => onTask(view.task!)}>
                {view.task}
              </button>
              <span className="faint">›</span>
              <b>{view.subtask}</b>
            </>
          )}
          <button type="button" className="chip" onClick={onClear} aria-label="Clear scope" data-testid="clear-scope">
            ✕
          </button>
        </>
      )}
    </span>
  );
}
