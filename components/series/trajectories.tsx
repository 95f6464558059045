"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useMemo, useRef } from "react";
import { NO_SCORE, TRAJECTORY_KINDS, TRAJECTORY_LABELS, type Trajectories, type TrajectoryKind } from "@/lib/series/trajectories";
import type { SeriesView } from "@/lib/series/view";
import { QuestionAcross } from "./question-across";

const ROW_HEIGHT = 22;

/** A cell's colour: red wrong, green right, shades between for partial credit, grey for no score. */
function cellColor(score: number): string {
  if (score === NO_SCORE) return "#e4e7eb";
  const hue = Math.round((score / 100) * 130); // 0 red .. 130 green
  return `hsl(${hue} 62% ${score === 0 || score === 100 ? 42 : 55}%)`;
}

function decode(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

type Filter = SeriesView["filter"];

interface Props {
  data: Trajectories;
  filter: Filter;
  flipsAtLeast: number;
  question: string | null;
  onChange: (patch: Partial<Pick<SeriesView, "filter" | "flipsAtLeast" | "question">>) => void;
}

/**
 * Every question of the task along one line: one strip of cells per question (a cell per
 * checkpoint), virtualized so 100,000 questions scroll smoothly; filters by trajectory kind or by
 * how often a question flipped. A click shows the question's responses at every checkpoint.
 */
export function TrajectoryStrips({ data, filter, flipsAtLeast, question, onChange }: Props) {
  const cells = useMemo(() => decode(data.cells), [data.cells]);
  const width = data.runs.length;
  const counts = useMemo(() => {
    const c = Object.fromEntries(TRAJECTORY_KINDS.map((k) => [k, 0])) as Record<TrajectoryKind, number>;
    for (const kind of data.kind) c[kind] += 1;
    return c;
  }, [data.kind]);
  const shown = useMemo(() => {
    const out: number[] = [];
    for (let q = 0; q < data.questions.length; q++) {
      if (filter === "all" || (filter === "flipping" ? data.flips[q] >= flipsAtLeast : data.kind[q] === filter)) out.push(q);
    }
    return out;
  }, [data, filter, flipsAtLeast]);
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual's API is not memoizable; the compiler skips this component
  const virtualizer = useVirtualizer({ count: shown.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const cellWidth = Math.max(4, Math.min(48, Math.floor(720 / Math.max(1, width))));
  const selectedIndex = question === null ? -1 : data.questions.indexOf(question);

  return (
    <div className="trajectories" data-testid="trajectories">
      <div className="toolbar">
        <label>
          Show
          <select value={filter} onChange={(e) => onChange({ filter: e.target.value as Filter })} data-testid="trajectory-filter">
            <option value="all">all questions ({data.questions.length.toLocaleString("en")})</option>
            {TRAJECTORY_KINDS.map((kind) => (
              <option key={kind} value={kind} disabled={counts[kind] === 0 && filter !== kind}>
                {TRAJECTORY_LABELS[kind]} ({counts[kind].toLocaleString("en")})
              </option>
            ))}
            <option value="flipping">flipping at least m times</option>
          </select>
        </label>
        {filter === "flipping" && (
          <label>
            m
            <input className="num-input" type="number" min={1} value={flipsAtLeast} onChange={(e) => onChange({ flipsAtLeast: Math.max(1, Number(e.target.value) || 1) })} data-testid="flips-at-least" />
          </label>
        )}
        <span className="muted" data-testid="trajectory-count">
          {shown.length.toLocaleString("en")} of {data.questions.length.toLocaleString("en")} questions
        </span>
        <span className="spacer" />
        <span className="legend">
          <i style={{ background: cellColor(100) }} /> right <i style={{ background: cellColor(0) }} /> wrong {!data.binary && (<><i style={{ background: cellColor(50) }} /> partial </>)}
          <i style={{ background: cellColor(NO_SCORE) }} /> no score
        </span>
      </div>
      <div className="strip-head" style={{ paddingLeft: 200 }}>
        {data.runs.map((r, c) => (
          <span key={r.run_id} style={{ width: cellWidth }} title={`${r.step ?? r.checkpoint ?? r.run_id}`}>
            {cellWidth >= 40 || c === 0 || c === width - 1 ? (r.step ?? r.checkpoint ?? "") : ""}
          </span>
        ))}
        <span className="faint">step →</span>
      </div>
      <div className="strip-scroll" ref={scroller}>
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {virtualizer.getVirtualItems().map((item) => {
            const q = shown[item.index];
            return (
              <div
                key={q}
                className={`strip-row${q === selectedIndex ? " selected" : ""}`}
                style={{ transform: `translateY(${item.start}px)` }}
                onClick={() => onChange({ question: data.questions[q] })}
                data-testid="trajectory-row"
                data-question={data.questions[q]}
                data-kind={data.kind[q]}
              >
                <span className="mono strip-id" title={data.questions[q]}>
                  {data.questions[q]}
                </span>
                <span className="strip-cells">
                  {Array.from({ length: width }, (_, c) => {
                    const score = cells[q * width + c];
                    return <i key={c} style={{ width: cellWidth - 1, background: cellColor(score) }} title={`${data.runs[c].step ?? data.runs[c].checkpoint}: ${score === NO_SCORE ? "no score" : score / 100}`} />;
                  })}
                </span>
                <span className="faint strip-flips">{data.flips[q]} flips</span>
              </div>
            );
          })}
        </div>
      </div>
      {question !== null && <QuestionAcross question={question} runs={data.runs} onClose={() => onChange({ question: null })} />}
    </div>
  );
}
