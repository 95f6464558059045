"use client";

import type { AlignedRow } from "@/lib/compare/sql";
import { useQuestionDetail, type QuestionDetail, type RunSource } from "@/lib/query";
import { formatScore, scoreClass } from "../format";
import { WordDiff } from "./word-diff";
import { TranscriptPair } from "../transcript";

interface Props {
  row: AlignedRow;
  /** The question's record in each run; null when it is not in that run. */
  records: { a: number | null; b: number | null };
  sources: { a: RunSource; b: RunSource };
  onClose: () => void;
}

/**
 * One question in both runs: the word diff of the two responses first, then each run's full
 * record. Untrusted model output is rendered as text only.
 */
export function CompareDetail({ row, records, sources, onClose }: Props) {
  const a = useQuestionDetail(sources.a, records.a);
  const b = useQuestionDetail(sources.b, records.b);
  const error = a.error ?? b.error;
  const loading = (records.a !== null && !a.detail && !a.error) || (records.b !== null && !b.detail && !b.error);
  const either = a.detail ?? b.detail;
  return (
    <aside className="detail" data-testid="compare-detail" aria-busy={loading}>
      <div className="detail-head">
        <h2 data-testid="detail-title">{row.instance_id}</h2>
        <span className="muted">
          {row.subtask ? `${row.task} / ${row.subtask}` : row.task}
          {row.sample > 0 && ` · sample ${row.sample}`}
        </span>
        <span className="spacer" />
        <span className={`badge ${scoreClass(row.score_a)}`}>candidate {formatScore(row.score_a)}</span>
        <span className={`badge ${scoreClass(row.score_b)}`}>baseline {formatScore(row.score_b)}</span>
        <button type="button" className="button" onClick={onClose} aria-label="Close detail" title="Close (Esc)">
          ✕
        </button>
      </div>
      {row.pairing === "mismatch" && (
        <p className="callout warn">The question differs between the runs (instance_hash): it is listed, never paired, and left out of the statistics.</p>
      )}
      {error && (
        <p className="callout error" role="alert">
          {error}
        </p>
      )}
      {loading && <p className="muted">Loading…</p>}
      {!loading && (
        <>
          <section>
            <h3>
              Response diff <span className="faint">(<del>baseline only</del> · <ins>candidate only</ins>)</span>
            </h3>
            <WordDiff a={text(a.detail?.response)} b={text(b.detail?.response)} />
          </section>
          <div className="two-col">
            <Field title="Target" value={either?.target} testId="detail-target" />
            <Field title="Cluster" value={row.cluster_a ?? row.cluster_b} testId="detail-cluster" />
            <Field title="Candidate extracted" value={a.detail?.extracted} testId="detail-extracted-a" />
            <Field title="Baseline extracted" value={b.detail?.extracted} testId="detail-extracted-b" />
            <Field title="Candidate response" value={a.detail?.response} testId="detail-response-a" />
            <Field title="Baseline response" value={b.detail?.response} testId="detail-response-b" />
            <Errors detail={a.detail} />
            <Errors detail={b.detail} />
          </div>
          <TranscriptPair a={a.detail?.transcript ?? null} b={b.detail?.transcript ?? null} />
          <Field title="Prompt (candidate)" value={(a.detail ?? b.detail)?.prompt} testId="detail-prompt" />
        </>
      )}
    </aside>
  );
}

const text = (value: unknown) => (value === null || value === undefined ? null : String(value));

function Field({ title, value, testId }: { title: string; value: unknown; testId: string }) {
  return (
    <section>
      <h3>{title}</h3>
      {value === null || value === undefined ? (
        <p className="faint">—</p>
      ) : (
        <pre className="text-block" data-testid={testId}>
          {String(value)}
        </pre>
      )}
    </section>
  );
}

function Errors({ detail }: { detail: QuestionDetail | null }) {
  if (!detail || detail.error === null) return <div />;
  return (
    <section>
      <h3>Error</h3>
      <pre className="text-block error">{String(detail.error)}</pre>
    </section>
  );
}
