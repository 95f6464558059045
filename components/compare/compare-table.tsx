"use client";

import { useEffect, useRef, type CSSProperties } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { alignedRow, type AlignedColumns } from "@/lib/compare/columns";
import { useRowTexts, type CompareSort, type RunSource } from "@/lib/query";
import { formatScore, scoreClass } from "../format";

const ROW_HEIGHT = 28;

const COLUMNS: { label: string; sort?: CompareSort; numeric?: boolean; width: string }[] = [
  { label: "Question", sort: "instance_id", width: "minmax(120px, 1.1fr)" },
  { label: "Task / subtask", sort: "task", width: "minmax(90px, 0.8fr)" },
  { label: "Target", width: "minmax(60px, 0.6fr)" },
  { label: "Candidate response", width: "minmax(140px, 2fr)" },
  // wide enough for "candidate" and a continuous score such as -0.6667 with its sort arrow
  { label: "candidate", sort: "score_a", numeric: true, width: "92px" },
  { label: "Baseline response", width: "minmax(140px, 2fr)" },
  { label: "baseline", sort: "score_b", numeric: true, width: "86px" },
  { label: "Δ", sort: "difference", numeric: true, width: "76px" },
];

const gridStyle = { "--qcols": COLUMNS.map((c) => c.width).join(" ") } as CSSProperties;

const PAIRING_BADGES = { mismatch: "hash differs", only_a: "only in the candidate", only_b: "only in the baseline" } as const;

/** True when a key press belongs to a form field, not to the table's shortcuts. */
const typing = (target: EventTarget | null) => target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName));

interface Props {
  columns: AlignedColumns;
  positions: Int32Array;
  pending: boolean;
  sources: { a: RunSource; b: RunSource };
  sort: { key: CompareSort; desc: boolean };
  onSort: (sort: { key: CompareSort; desc: boolean }) => void;
  /** The keyboard cursor and the question open in the detail panel, as aligned positions. */
  cursor: number | null;
  open: number | null;
  onCursor: (position: number) => void;
  onOpen: (position: number | null) => void;
}

/**
 * Both runs' answers to every question side by side, virtualized for 100,000 rows.
 * Keys: j/k or arrows move, Enter opens the question, Esc closes it.
 */
export function CompareTable({ columns, positions, pending, sources, sort, onSort, cursor, open, onCursor, onOpen }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual's API is not memoizable; the compiler skips this component
  const virtualizer = useVirtualizer({
    count: positions.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const textA = useRowTexts(sources.a, items.map((item) => columns.rowA[positions[item.index]] ?? -1));
  const textB = useRowTexts(sources.b, items.map((item) => columns.rowB[positions[item.index]] ?? -1));

  // keyboard navigation for the whole page, except while typing in a field
  const keys = useRef({ positions, cursor, open, onCursor, onOpen, virtualizer });
  useEffect(() => {
    keys.current = { positions, cursor, open, onCursor, onOpen, virtualizer };
  });
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (typing(event.target) || event.altKey || event.ctrlKey || event.metaKey) return;
      const { positions, cursor, open, onCursor, onOpen, virtualizer } = keys.current;
      if (event.key === "Escape") {
        if (open !== null) onOpen(null);
        return;
      }
      if (event.key === "Enter") {
        if (cursor !== null) onOpen(cursor);
        return;
      }
      const step = event.key === "j" || event.key === "ArrowDown" ? 1 : event.key === "k" || event.key === "ArrowUp" ? -1 : 0;
      if (step === 0 || positions.length === 0) return;
      event.preventDefault();
      const index = cursor === null ? -1 : positions.indexOf(cursor);
      const next = Math.min(positions.length - 1, Math.max(0, index + step));
      onCursor(positions[next]);
      if (open !== null) onOpen(positions[next]); // an open detail follows the cursor
      virtualizer.scrollToIndex(next, { align: "auto" });
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);

  // a new filter or order starts at the top
  useEffect(() => {
    scroller.current?.scrollTo({ top: 0 });
  }, [positions]);

  return (
    <div className="qtable ctable" style={gridStyle} data-testid="compare-table" data-count={positions.length} data-pending={pending}>
      <div className="qhead" role="row">
        {COLUMNS.map((column) => {
          const active = column.sort !== undefined && sort.key === column.sort;
          return (
            <button
              key={column.label}
              type="button"
              role="columnheader"
              className={column.numeric ? "num" : undefined}
              disabled={!column.sort}
              aria-sort={active ? (sort.desc ? "descending" : "ascending") : "none"}
              onClick={() => column.sort && onSort(active ? { key: column.sort, desc: !sort.desc } : { key: column.sort, desc: column.sort === "difference" })}
            >
              {column.label}
              {active && <span className="sort">{sort.desc ? " ▼" : " ▲"}</span>}
            </button>
          );
        })}
      </div>
      {pending && <div className="loading-bar" />}
      <div className="qscroll" ref={scroller} tabIndex={0} aria-label="Questions of both runs">
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {items.map((item) => {
            const position = positions[item.index];
            const row = alignedRow(columns, position);
            const a = textA(columns.rowA[position]);
            const b = textB(columns.rowB[position]);
            const diff = row.score_a !== null && row.score_b !== null ? row.score_a - row.score_b : null;
            const classes = ["qrow", position === open ? "selected" : "", position === cursor ? "cursor" : ""].filter(Boolean).join(" ");
            return (
              <div
                key={item.key}
                className={classes}
                style={{ transform: `translateY(${item.start}px)` }}
                role="row"
                data-testid="compare-row"
                data-key={`${row.task}/${row.instance_id}/${row.sample}`}
                data-pairing={row.pairing}
                onClick={() => {
                  onCursor(position);
                  onOpen(position);
                }}
              >
                <span className="mono">
                  {row.instance_id}
                  {row.sample > 0 && <span className="faint"> #{row.sample}</span>}
                  {row.pairing !== "shared" && <span className={`badge pairing ${row.pairing}`}>{PAIRING_BADGES[row.pairing]}</span>}
                </span>
                <span className="muted">{row.subtask ? `${row.task} / ${row.subtask}` : row.task}</span>
                <span className="mono">{(a ?? b)?.target ?? ""}</span>
                <span className="snippet">{a?.response ?? ""}</span>
                <span className={`num ${scoreClass(row.score_a)}`}>{formatScore(row.score_a)}</span>
                <span className="snippet">{b?.response ?? ""}</span>
                <span className={`num ${scoreClass(row.score_b)}`}>{formatScore(row.score_b)}</span>
                <span className={`num ${diff === null || diff === 0 ? "faint" : diff > 0 ? "good" : "bad"}`}>{diff !== null && diff > 0 ? `+${formatScore(diff)}` : formatScore(diff)}</span>
              </div>
            );
          })}
        </div>
        {positions.length === 0 && !pending && (
          <p className="muted" style={{ padding: "8px 12px" }} data-testid="no-questions">
            No question matches these filters.
          </p>
        )}
      </div>
    </div>
  );
}
