import type { BrokenRun } from "@/lib/query";
import { StatusBadge } from "./status-badge";

/** Runs the catalog could not read, each with the reason, so nothing disappears silently. */
export function BrokenRuns({ runs }: { runs: BrokenRun[] }) {
  if (runs.length === 0) return null;
  return (
    <section data-testid="broken-runs">
      <h2>
        {runs.length} {runs.length === 1 ? "run" : "runs"} cannot be read
      </h2>
      <div className="table-frame">
        <table className="grid broken-list">
          <thead>
            <tr>
              <th>Run</th>
              <th>Status</th>
              <th>Reason</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.runId} data-run-id={run.runId}>
                <td className="mono">{run.runId}</td>
                <td>
                  <StatusBadge status="broken" />
                </td>
                <td className="reason">{run.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
