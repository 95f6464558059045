import { highlightPieces } from "@/lib/format/highlight";

/** Untrusted text with the search's matches in <mark>, rendered as React text (never HTML). */
export function Highlight({ text, needle }: { text: string; needle: string }) {
  return (
    <>
      {highlightPieces(text, needle).map((piece, i) => (piece.match ? <mark key={i}>{piece.text}</mark> : piece.text))}
    </>
  );
}
