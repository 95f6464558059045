"use client";

import { useEffect, useRef, type CSSProperties, type KeyboardEvent, type ReactNode } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { snippet } from "@/lib/format/highlight";
import { SORT_KEYS, useRowTexts, type QuestionQuery, type RowText, type RowTextColumn, type RunQuestions, type RunSource, type SortKey } from "@/lib/query";
import { formatCount, formatLatency, formatScore, scoreClass } from "./format";
import { Highlight } from "./highlight";

const ROW_HEIGHT = 28;
/** Characters of prompt, response and target kept in a row: more than a row shows, for wide screens. */
const SNIPPET_LENGTH = 160;
const SNIPPET_COLUMNS: readonly RowTextColumn[] = ["prompt", "response", "target"];

type Cell = (row: number, questions: RunQuestions, text: RowText | undefined, search: string) => ReactNode;

interface Column {
  /** A sort key, or a text column (prompt, response, target: shown, not sortable). */
  key: SortKey | RowTextColumn;
  label: string;
  width: string;
  numeric?: boolean;
  /** Left out while the detail panel takes half the width: the detail shows it. */
  wideOnly?: boolean;
  cell: Cell;
}

/** A text column's snippet around the search's first match; "…" until read, "—" when empty. */
function TextSnippet({ texts, column, search, fromEnd = false }: { texts: RowText | undefined; column: RowTextColumn; search: string; fromEnd?: boolean }) {
  if (!texts) return <span className="faint">…</span>;
  const value = texts[column];
  if (value === null) return <span className="faint">—</span>;
  return <Highlight text={snippet(value, search, SNIPPET_LENGTH, fromEnd)} needle={search} />;
}

function text(column: RowTextColumn, fromEnd = false): Cell {
  return function snippetCell(_row, _questions, texts, search) {
    return <TextSnippet texts={texts} column={column} search={search} fromEnd={fromEnd} />;
  };
}

const COLUMNS: Column[] = [
  { key: "row", label: "#", numeric: true, width: "56px", cell: (row) => <span className="faint">{row + 1}</span> },
  { key: "instance_id", label: "Question", width: "minmax(96px, 1fr)", cell: (row, q, _t, search) => <Highlight text={String(q.cell(row, "instance_id") ?? "")} needle={search} /> },
  { key: "subtask", label: "Subtask", width: "minmax(72px, 0.8fr)", cell: (row, q) => q.cell(row, "subtask") ?? "" },
  { key: "sample", label: "Sample", numeric: true, width: "60px", wideOnly: true, cell: (row, q) => q.cell(row, "sample") },
  {
    key: "score",
    label: "Score",
    numeric: true,
    width: "56px",
    cell: (row, q) => formatScore(q.cell(row, "score") as number | null),
  },
  // the prompt's end: its question comes after any few-shot examples
  { key: "prompt", label: "Prompt (end)", width: "minmax(120px, 2fr)", cell: text("prompt", true) },
  { key: "response", label: "Response", width: "minmax(120px, 2fr)", cell: text("response") },
  { key: "target", label: "Target", width: "minmax(64px, 0.8fr)", cell: text("target") },
  { key: "error", label: "Error", width: "minmax(64px, 0.8fr)", cell: (row, q, _t, search) => <Highlight text={String(q.cell(row, "error") ?? "")} needle={search} /> },
  { key: "input_tokens", label: "In tok", numeric: true, width: "64px", wideOnly: true, cell: (row, q) => formatCount(q.cell(row, "input_tokens") as number | null) },
  { key: "output_tokens", label: "Out tok", numeric: true, width: "64px", wideOnly: true, cell: (row, q) => formatCount(q.cell(row, "output_tokens") as number | null) },
  { key: "latency_ms", label: "Latency", numeric: true, width: "72px", wideOnly: true, cell: (row, q) => formatLatency(q.cell(row, "latency_ms") as number | null) },
];

const SORTABLE = new Set<string>(SORT_KEYS);

/** CSS classes of a column's cells: numbers right-aligned, scores coloured, errors red, text snippets monospaced. */
function cellClass(column: Column, questions: RunQuestions, row: number): string | undefined {
  if (column.key === "score") return `num ${scoreClass(questions.cell(row, "score") as number | null)}`;
  if (column.key === "error") return "err";
  if (column.key === "subtask") return "muted";
  if (column.key === "instance_id") return "mono";
  if (SNIPPET_COLUMNS.includes(column.key as RowTextColumn)) return "snippet";
  return column.numeric ? "num" : undefined;
}

interface Props {
  source: RunSource;
  questions: RunQuestions;
  query: QuestionQuery;
  onSort: (sort: QuestionQuery["sort"]) => void;
  selectedRow: number | null;
  onSelect: (row: number) => void;
  /** A row to scroll into view (the question a link opened). */
  reveal: number | null;
}

/**
 * The question list, virtualized: only the rows in view exist in the DOM, so 100,000 scroll
 * smoothly. Prompt, response and target snippets are read for the rows in view only, and the
 * search's matches are marked in them.
 */
export function QuestionTable({ source, questions, query, onSort, selectedRow, onSelect, reveal }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual's API is not memoizable; the compiler skips this component
  const virtualizer = useVirtualizer({
    count: questions.count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // a first screen of rows in the server's HTML, before the scroller can be measured
    initialRect: { width: 1200, height: 900 },
  });
  const sortable = questions.phase === "ready";
  const columns = selectedRow === null ? COLUMNS : COLUMNS.filter((c) => !c.wideOnly);
  const gridStyle = { "--qcols": columns.map((c) => c.width).join(" ") } as CSSProperties;
  const items = virtualizer.getVirtualItems();
  const rowText = useRowTexts(
    source,
    items.map((item) => (item.index < questions.count ? questions.rowAt(item.index) : -1)),
    SNIPPET_COLUMNS,
  );
  const search = query.search;

  // a new filter or order starts at the top
  const queryKey = JSON.stringify(query);
  useEffect(() => {
    scroller.current?.scrollTo({ top: 0 });
  }, [queryKey]);

  useEffect(() => {
    const position = reveal === null ? -1 : positionOf(questions, reveal);
    if (position >= 0) virtualizer.scrollToIndex(position, { align: "center" });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when a new row is to be revealed
  }, [reveal]);

  const toggleSort = (key: SortKey) =>
    onSort(query.sort.key === key ? { key, desc: !query.sort.desc } : { key, desc: false });

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    event.preventDefault();
    const position = selectedRow === null ? -1 : positionOf(questions, selectedRow);
    const next = Math.min(questions.count - 1, Math.max(0, position + (event.key === "ArrowDown" ? 1 : -1)));
    if (next < 0) return;
    onSelect(questions.rowAt(next));
    virtualizer.scrollToIndex(next, { align: "auto" });
  };

  return (
    <div className="qtable" style={gridStyle} data-testid="question-table" data-phase={questions.phase} data-count={questions.count}>
      <div className="qhead" role="row">
        {columns.map((column) => {
          if (!SORTABLE.has(column.key)) {
            return (
              <span key={column.key} role="columnheader" className="qhead-text">
                {column.label}
              </span>
            );
          }
          const key = column.key as SortKey;
          const active = query.sort.key === key;
          return (
            <button
              key={key}
              type="button"
              role="columnheader"
              className={column.numeric ? "num" : undefined}
              disabled={!sortable}
              title={sortable ? `Sort by ${column.label}` : "Sorting is available once the query engine has loaded"}
              aria-sort={active ? (query.sort.desc ? "descending" : "ascending") : "none"}
              onClick={() => toggleSort(key)}
            >
              {column.label}
              {active && key !== "row" && <span className="sort">{query.sort.desc ? " ▼" : " ▲"}</span>}
              {active && key === "row" && query.sort.desc && <span className="sort"> ▼</span>}
            </button>
          );
        })}
      </div>
      {(questions.pending || questions.phase !== "ready") && <div className="loading-bar" />}
      <div className="qscroll" ref={scroller} tabIndex={0} onKeyDown={onKeyDown} aria-label="Questions">
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {items.map((item) => {
            const row = questions.rowAt(item.index);
            const texts = rowText(row);
            return (
              <div
                key={item.key}
                className={row === selectedRow ? "qrow selected" : "qrow"}
                style={{ transform: `translateY(${item.start}px)` }}
                role="row"
                data-testid="question-row"
                data-row={row}
                onClick={() => onSelect(row)}
              >
                {columns.map((column) => (
                  <span key={column.key} className={cellClass(column, questions, row)} data-col={column.key}>
                    {column.cell(row, questions, texts, search)}
                  </span>
                ))}
              </div>
            );
          })}
        </div>
        {questions.count === 0 && questions.phase === "ready" && !questions.pending && (
          <p className="muted" style={{ padding: "8px 12px" }} data-testid="no-questions">
            No question matches these filters.
          </p>
        )}
      </div>
      <div className="qfoot" data-testid="table-status">
        <span>{tableStatus(questions)}</span>
      </div>
    </div>
  );
}

/** Where a row stands in the list as filtered and sorted; -1 when it is not in it. */
function positionOf(questions: RunQuestions, row: number): number {
  for (let i = 0; i < questions.count; i++) if (questions.rowAt(i) === row) return i;
  return -1;
}

function tableStatus(questions: RunQuestions): string {
  switch (questions.phase) {
    case "opening":
      return "Opening records…";
    case "preview":
      return `Showing the first ${formatCount(questions.count)} of ${formatCount(questions.total)} questions; loading the rest…`;
    case "indexed":
      return `${formatCount(questions.count)} questions; starting the query engine for sorting and filtering…`;
    default:
      return questions.pending ? "Querying…" : `${formatCount(questions.count)} of ${formatCount(questions.total)} questions shown`;
  }
}
