"use client";

import type { QuestionAtCheckpoint } from "@/lib/series/question";
import type { Trajectories } from "@/lib/series/trajectories";
import { useJson } from "./use-json";

const text = (value: unknown) => (value === null || value === undefined ? "" : String(value));

/** One question's prompt, target and the response of every checkpoint of the line, side by side. */
export function QuestionAcross({ question, runs, onClose }: { question: string; runs: Trajectories["runs"]; onClose: () => void }) {
  const query = new URLSearchParams([["q", question], ...runs.map((r): [string, string] => ["run", r.run_id])]).toString();
  const current = useJson<QuestionAtCheckpoint[]>(`/api/series/question?${query}`);
  const first = current.data?.flatMap((c) => c.samples)[0];
  return (
    <section className="panel question-across" data-testid="question-across">
      <div className="detail-head">
        <h2 className="mono">{question}</h2>
        <span className="spacer" />
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
      {current.error && <p className="callout error">Cannot show this question: {current.error}</p>}
      {!current.data && !current.error && <div className="loading-bar" />}
      {first && (
        <div className="two-col">
          <section>
            <h3>Prompt</h3>
            <pre className="text-block">{text(first.prompt)}</pre>
          </section>
          <section>
            <h3>Target</h3>
            <pre className="text-block">{text(first.target)}</pre>
          </section>
        </div>
      )}
      {current.data && (
        <div className="across-grid">
          {current.data.map((c) => (
            <div key={c.run_id} className="across-col" data-testid="across-col">
              <h3>
                {c.step !== null ? `step ${c.step}` : (c.checkpoint ?? c.run_id)}{" "}
                {c.samples.map((s, i) => (
                  <span key={i} className={s.score === 1 ? "score-1" : s.score === 0 ? "score-0" : "score-partial"}>
                    {s.error ? "error" : s.score === null ? "unscored" : `score ${s.score}`}
                  </span>
                ))}
              </h3>
              {c.samples.length === 0 && <p className="faint">not in this run</p>}
              {c.samples.map((s, i) => (
                <div key={i}>
                  {s.error ? <pre className="text-block error">{text(s.error)}</pre> : <pre className="text-block">{text(s.response)}</pre>}
                  <div className="faint small">extracted: {text(s.extracted) || "—"}</div>
                </div>
              ))}
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
