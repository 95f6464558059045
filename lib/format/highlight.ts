// Search matches in untrusted text, as pieces for React to render as text (a match in <mark>):
// never as HTML.

export interface TextPiece {
  text: string;
  match: boolean;
}

/**
 * Case-insensitive matches of `needle` in `text`, as the question search finds them (lower-case
 * substring). When lower-casing changes a text's length (a few Unicode letters), offsets would
 * not line up, so that text is returned whole and unmarked.
 */
export function highlightPieces(text: string, needle: string): TextPiece[] {
  const lowerNeedle = needle.trim().toLowerCase();
  const lower = text.toLowerCase();
  if (lowerNeedle === "" || lower.length !== text.length) return [{ text, match: false }];
  const pieces: TextPiece[] = [];
  let from = 0;
  for (let at = lower.indexOf(lowerNeedle); at >= 0; at = lower.indexOf(lowerNeedle, from)) {
    if (at > from) pieces.push({ text: text.slice(from, at), match: false });
    pieces.push({ text: text.slice(at, at + lowerNeedle.length), match: true });
    from = at + lowerNeedle.length;
  }
  if (from < text.length || pieces.length === 0) pieces.push({ text: text.slice(from), match: false });
  return pieces;
}

/**
 * A one-line snippet of at most about `length` characters: around the first match of `needle`
 * when there is one, else the start of the text, or its end with `fromEnd` (a prompt's question
 * comes after its few-shot examples). Cut ends are marked with an ellipsis.
 */
export function snippet(text: string, needle: string, length: number, fromEnd = false): string {
  const line = text.replace(/\s+/g, " ").trim();
  if (line.length <= length) return line;
  const lowerNeedle = needle.trim().toLowerCase();
  const lower = line.toLowerCase();
  const at = lowerNeedle === "" || lower.length !== line.length ? -1 : lower.indexOf(lowerNeedle);
  let start: number;
  if (at >= 0) start = Math.max(0, Math.min(at - Math.floor((length - lowerNeedle.length) / 3), line.length - length));
  else start = fromEnd ? line.length - length : 0;
  const end = Math.min(line.length, start + length);
  return `${start > 0 ? "…" : ""}${line.slice(start, end)}${end < line.length ? "…" : ""}`;
}
