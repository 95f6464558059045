import { diffWords } from "diff";

/** Past this many characters a word diff costs more than it shows; the two texts are shown as they are. */
const MAX_DIFF_CHARS = 20_000;

/**
 * Word-level diff of the baseline's response (b) to the candidate's (a): words only in the candidate are marked as inserted, words only in the baseline
 * as deleted. Model output is untrusted: every part is React text, never HTML.
 */
export function WordDiff({ a, b }: { a: string | null; b: string | null }) {
  if (a === null && b === null) return <p className="faint">Neither run has a response.</p>;
  const before = b ?? "";
  const after = a ?? "";
  if (before.length + after.length > MAX_DIFF_CHARS) {
    return <p className="faint">The responses are too long to diff word by word ({(before.length + after.length).toLocaleString("en-US")} characters); both are shown below.</p>;
  }
  const parts = diffWords(before, after);
  return (
    <pre className="text-block word-diff" data-testid="word-diff">
      {parts.map((part, i) =>
        part.added ? (
          <ins key={i}>{part.value}</ins>
        ) : part.removed ? (
          <del key={i}>{part.value}</del>
        ) : (
          <span key={i}>{part.value}</span>
        ),
      )}
    </pre>
  );
}
