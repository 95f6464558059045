"use client";

import { useEffect, useRef, type CSSProperties, type KeyboardEvent } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { QuestionQuery, RunQuestions, SortKey } from "@/lib/query";
import { formatCount, formatLatency, formatScore, scoreClass } from "./format";

const ROW_HEIGHT = 28;

const COLUMNS: { key: SortKey; label: string; numeric?: boolean; width: string }[] = [
  { key: "row", label: "#", numeric: true, width: "64px" },
  { key: "instance_id", label: "Question", width: "minmax(140px, 2fr)" },
  { key: "subtask", label: "Subtask", width: "minmax(90px, 1fr)" },
  { key: "sample", label: "Sample", numeric: true, width: "64px" },
  { key: "score", label: "Score", numeric: true, width: "64px" },
  { key: "error", label: "Error", width: "minmax(80px, 1.2fr)" },
  { key: "input_tokens", label: "In tok", numeric: true, width: "72px" },
  { key: "output_tokens", label: "Out tok", numeric: true, width: "72px" },
  { key: "latency_ms", label: "Latency", numeric: true, width: "80px" },
];

const gridStyle = { "--qcols": COLUMNS.map((c) => c.width).join(" ") } as CSSProperties;

interface Props {
  questions: RunQuestions;
  query: QuestionQuery;
  onSort: (sort: QuestionQuery["sort"]) => void;
  selectedRow: number | null;
  onSelect: (row: number) => void;
}

/** The question list, virtualized: only the rows in view exist in the DOM, so 100,000 scroll smoothly. */
export function QuestionTable({ questions, query, onSort, selectedRow, onSelect }: Props) {
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

  // a new filter or order starts at the top
  const queryKey = JSON.stringify(query);
  useEffect(() => {
    scroller.current?.scrollTo({ top: 0 });
  }, [queryKey]);

  const toggleSort = (key: SortKey) =>
    onSort(query.sort.key === key ? { key, desc: !query.sort.desc } : { key, desc: false });

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    event.preventDefault();
    let position = -1;
    if (selectedRow !== null) {
      for (let i = 0; i < questions.count; i++) {
        if (questions.rowAt(i) === selectedRow) {
          position = i;
          break;
        }
      }
    }
    const next = Math.min(questions.count - 1, Math.max(0, position + (event.key === "ArrowDown" ? 1 : -1)));
    if (next < 0) return;
    onSelect(questions.rowAt(next));
    virtualizer.scrollToIndex(next, { align: "auto" });
  };

  return (
    <div className="qtable" style={gridStyle} data-testid="question-table" data-phase={questions.phase} data-count={questions.count}>
      <div className="qhead" role="row">
        {COLUMNS.map((column) => {
          const active = query.sort.key === column.key;
          return (
            <button
              key={column.key}
              type="button"
              role="columnheader"
              className={column.numeric ? "num" : undefined}
              disabled={!sortable}
              title={sortable ? `Sort by ${column.label}` : "Sorting is available once the query engine has loaded"}
              aria-sort={active ? (query.sort.desc ? "descending" : "ascending") : "none"}
              onClick={() => toggleSort(column.key)}
            >
              {column.label}
              {active && column.key !== "row" && <span className="sort">{query.sort.desc ? " ▼" : " ▲"}</span>}
              {active && column.key === "row" && query.sort.desc && <span className="sort"> ▼</span>}
            </button>
          );
        })}
      </div>
      {(questions.pending || questions.phase !== "ready") && <div className="loading-bar" />}
      <div className="qscroll" ref={scroller} tabIndex={0} onKeyDown={onKeyDown} aria-label="Questions">
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = questions.rowAt(item.index);
            const score = questions.cell(row, "score") as number | null;
            const error = questions.cell(row, "error") as string | null;
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
                <span className="num faint">{row + 1}</span>
                <span className="mono">{questions.cell(row, "instance_id")}</span>
                <span className="muted">{questions.cell(row, "subtask") ?? ""}</span>
                <span className="num">{questions.cell(row, "sample")}</span>
                <span className={`num ${scoreClass(score)}`}>{formatScore(score)}</span>
                <span className="err" title={error ?? undefined}>
                  {error ?? ""}
                </span>
                <span className="num">{formatCount(questions.cell(row, "input_tokens") as number | null)}</span>
                <span className="num">{formatCount(questions.cell(row, "output_tokens") as number | null)}</span>
                <span className="num">{formatLatency(questions.cell(row, "latency_ms") as number | null)}</span>
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
