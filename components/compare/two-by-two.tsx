import type { CompareReport } from "@/lib/compare/report";
import type { TwoByTwoCell } from "@/lib/query";
import { formatCount } from "../format";
import { Explained } from "./explained";

type Counts = NonNullable<CompareReport["mcnemar"]>;

const CELLS: { cell: TwoByTwoCell; count: (m: Counts) => number; label: string }[] = [
  { cell: "both_right", count: (m) => m.both_right, label: "both right" },
  { cell: "only_a", count: (m) => m.only_candidate_right, label: "only candidate right" },
  { cell: "only_b", count: (m) => m.only_baseline_right, label: "only baseline right" },
  { cell: "both_wrong", count: (m) => m.both_wrong, label: "both wrong" },
];

/** The paired 0/1 outcomes; a cell filters the question table to its questions (click again to clear). */
export function TwoByTwo({ counts, active, onPick }: { counts: Counts; active: TwoByTwoCell | null; onPick: (cell: TwoByTwoCell | null) => void }) {
  const button = ({ cell, count, label }: (typeof CELLS)[number]) => (
    <button
      type="button"
      key={cell}
      className={`cell ${cell}${active === cell ? " active" : ""}`}
      data-testid={`cell-${cell}`}
      data-value={count(counts)}
      aria-pressed={active === cell}
      title={`Show the questions ${label}`}
      onClick={() => onPick(active === cell ? null : cell)}
    >
      <b>{formatCount(count(counts))}</b>
      <span>{label}</span>
    </button>
  );
  return (
    <section className="panel two-by-two" data-testid="two-by-two">
      <h3>Paired outcomes</h3>
      <div className="grid2">
        <span />
        <span className="axis">baseline right</span>
        <span className="axis">baseline wrong</span>
        <span className="axis side">candidate right</span>
        {button(CELLS[0])}
        {button(CELLS[1])}
        <span className="axis side">candidate wrong</span>
        {button(CELLS[2])}
        {button(CELLS[3])}
      </div>
      <p className="faint small">
        The questions only one run got right decide the <Explained term="mcnemar">exact McNemar p</Explained>. Click a cell to list its questions.
      </p>
    </section>
  );
}
