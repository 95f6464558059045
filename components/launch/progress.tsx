import type { RunProgressView } from "@/lib/launch/view";
import { clock } from "@/lib/format/clock";
import { formatCount } from "../format";

/** done / planned as a bar, with rate, ETA and errors. */
export function RunProgress({ run }: { run: RunProgressView }) {
  return (
    <span className="progress" data-testid="run-progress" data-done={run.done} data-planned={run.planned}>
      <progress max={Math.max(run.planned, 1)} value={run.done} aria-label={`${run.spec} progress`} />
      <span className="num">
        {formatCount(run.done)} / {formatCount(run.planned)}
      </span>
      <span className="muted">{run.rate === null ? "—" : `${run.rate.toFixed(1)}/s`}</span>
      <span className="muted">ETA {clock(run.eta)}</span>
      <span className={run.errored > 0 ? "field-error" : "muted"}>{formatCount(run.errored)} errors</span>
    </span>
  );
}
