"use client";

import { scaleOf } from "@/lib/series/format";
import type { SuiteReport } from "@/lib/series/suite";
import { CopyButtons } from "./copy-buttons";
import { LineLegend } from "./line-legend";
import { PerTaskTable } from "./per-task-table";
import { ScoreChart } from "./score-chart";

/** A suite across checkpoints: its aggregate per line, and every member task in the per-task table (each a link to its own series). */
export function SuiteScreen({ report }: { report: SuiteReport }) {
  const { factor, unit } = scaleOf(report);
  return (
    <>
      <div className="page-head">
        <h1>
          Series: suite <span className="mono">{report.suite}</span>
        </h1>
        <LineLegend models={[...new Set(report.per_task.map((r) => r.model))]} />
        <span className="spacer" />
        <CopyButtons load={() => Promise.resolve(report)} />
      </div>
      {report.lines.length > 0 && (
        <section className="panel">
          <h3>
            {report.suite} aggregate ({report.rule === "mean" ? "mean of the tasks' primary metrics" : "mean over tasks of their subtasks' means"}) by training step{" "}
            <span className="faint">({unit}; band = 95% CI, SE = sqrt(Σ SE²) / tasks)</span>
          </h3>
          <ScoreChart lines={report.lines} metric={`${report.suite} aggregate`} factor={factor} unit={unit} openRuns={false} />
        </section>
      )}
      {report.notes.length + report.lines.flatMap((l) => l.notes).length > 0 && (
        <ul className="series-notes" data-testid="series-notes">
          {[...report.notes, ...report.lines.flatMap((l) => l.notes.map((n) => `${l.model}: ${n}`))].map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
      <h2>Per task</h2>
      <PerTaskTable rows={report.per_task} factor={factor} unit={unit} k={report.k} />
      <p className="small faint">Open a task for its flips, differences and question trajectories.</p>
    </>
  );
}
