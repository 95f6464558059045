"use client";

import { useQuestionDetail, type QuestionDetail, type RunSource } from "@/lib/query";
import { questionSearch } from "@/lib/query/question-url";
import { formatCount, formatLatency, formatScore, scoreClass } from "./format";
import { Highlight } from "./highlight";
import { Transcript } from "./transcript";

/**
 * Everything recorded for one question. Model output is untrusted: every field is rendered as
 * React text (escaped), never as HTML or markdown.
 */
export function QuestionDetailPanel({ source, row, search, onClose }: { source: RunSource; row: number; search: string; onClose: () => void }) {
  const { detail, error, loading } = useQuestionDetail(source, row);
  return (
    <aside className="detail" data-testid="question-detail" aria-busy={loading}>
      <div className="detail-head">
        <h2>{detail ? String(detail.instance_id) : `row ${row + 1}`}</h2>
        {detail && <span className={`badge ${scoreClass(detail.score as number | null)}`}>score {formatScore(detail.score as number | null)}</span>}
        <span className="spacer" />
        {detail && (
          <a href={questionSearch({ id: String(detail.instance_id), sample: Number(detail.sample ?? 0) })} data-testid="question-link" title="This question's address: copy it to share">
            Link to this question
          </a>
        )}
        <button type="button" className="button" onClick={onClose} aria-label="Close detail">
          ✕
        </button>
      </div>
      {error && (
        <p className="callout error" role="alert">
          {error}
        </p>
      )}
      {!detail && !error && <p className="muted">Loading…</p>}
      {detail && <DetailBody detail={detail} search={search} />}
    </aside>
  );
}

function DetailBody({ detail, search }: { detail: QuestionDetail; search: string }) {
  const scores = parseJson(detail.scores);
  return (
    <>
      {detail.error !== null && <TextSection title="Error" text={detail.error} search={search} testId="detail-error" className="error" />}
      <TextSection title="Prompt" text={detail.prompt} search={search} testId="detail-prompt" />
      <TextSection title="Response" text={detail.response} search={search} testId="detail-response" />
      <div style={{ display: "grid", gridTemplateColumns: "1fr 1fr", gap: 10 }}>
        <TextSection title="Extracted answer" text={detail.extracted} search={search} testId="detail-extracted" />
        <TextSection title="Target" text={detail.target} search={search} testId="detail-target" />
      </div>
      <section>
        <h3>Scores</h3>
        <dl className="kv" data-testid="detail-scores">
          <dt>score (primary)</dt>
          <dd className={scoreClass(detail.score as number | null)}>{formatScore(detail.score as number | null)}</dd>
          {scores !== null && typeof scores === "object" && !Array.isArray(scores)
            ? Object.entries(scores).map(([name, value]) => (
                <Pair key={name} label={name} value={typeof value === "number" ? formatScore(value) : JSON.stringify(value)} />
              ))
            : detail.scores !== null && <Pair label="scores" value={String(detail.scores)} />}
        </dl>
      </section>
      <section>
        <h3>Record</h3>
        <dl className="kv">
          <Pair label="task" value={detail.task} />
          <Pair label="subtask" value={detail.subtask} />
          <Pair label="sample" value={detail.sample} />
          <Pair label="instance_hash" value={detail.instance_hash} />
          <Pair label="cluster_id" value={detail.cluster_id} />
          <Pair label="input tokens" value={formatCount(detail.input_tokens as number | null)} />
          <Pair label="output tokens" value={formatCount(detail.output_tokens as number | null)} />
          <Pair label="latency" value={formatLatency(detail.latency_ms as number | null)} />
          <Pair label="started" value={detail.started_at} />
          <Pair label="row in file" value={detail.row + 1} />
        </dl>
      </section>
      <Transcript value={detail.transcript} />
    </>
  );
}

function TextSection({ title, text, search, testId, className }: { title: string; text: unknown; search: string; testId: string; className?: string }) {
  return (
    <section>
      <h3>{title}</h3>
      {text === null || text === undefined ? (
        <p className="faint">—</p>
      ) : (
        <pre className={className ? `text-block ${className}` : "text-block"} data-testid={testId}>
          <Highlight text={String(text)} needle={search} />
        </pre>
      )}
    </section>
  );
}

function Pair({ label, value }: { label: string; value: unknown }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{value === null || value === undefined ? "—" : String(value)}</dd>
    </>
  );
}

/** JSON text from a record column, or null when absent or not JSON. */
function parseJson(value: unknown): unknown {
  if (typeof value !== "string") return null;
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
}
