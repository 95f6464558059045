"use client";

import { formatTranscript, type TranscriptItem } from "@/lib/transcript/format";

/**
 * A record's transcript: turns, tool calls with their arguments, tool output, errors and
 * verdicts, each collapsed to one line until opened. Model output is untrusted: everything is
 * rendered as React text (escaped), never as HTML or markdown.
 */
export function Transcript({ value, label }: { value: unknown; label?: string }) {
  const view = formatTranscript(value);
  if (view === null) return null;
  return (
    <details className="transcript" data-testid="transcript">
      <summary>
        {label ? `${label}: ` : ""}Transcript — {view.headline}
      </summary>
      <ol className="transcript-items">
        {view.items.map((item, i) => (
          <TranscriptRow key={i} item={item} />
        ))}
      </ol>
    </details>
  );
}

function TranscriptRow({ item }: { item: TranscriptItem }) {
  const tone = item.tone === "error" ? "error" : item.tone === "ok" ? "ok" : undefined;
  return (
    <li data-kind={item.kind}>
      {item.body === "" ? (
        <span className={tone}>{item.summary}</span>
      ) : (
        <details>
          <summary className={tone}>{item.summary}</summary>
          <pre className="text-block">{item.body}</pre>
        </details>
      )}
    </li>
  );
}

/** Two runs' transcripts of one question side by side (compare view). */
export function TranscriptPair({ a, b }: { a: unknown; b: unknown }) {
  // a: the candidate's, b: the baseline's
  if (formatTranscript(a) === null && formatTranscript(b) === null) return null;
  return (
    <div className="transcript-pair" style={{ display: "grid", gridTemplateColumns: "1fr 1fr", gap: 10 }} data-testid="transcript-pair">
      <div>{formatTranscript(a) ? <Transcript value={a} label="candidate" /> : <p className="faint">candidate: no transcript</p>}</div>
      <div>{formatTranscript(b) ? <Transcript value={b} label="baseline" /> : <p className="faint">baseline: no transcript</p>}</div>
    </div>
  );
}
