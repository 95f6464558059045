// Labels from outside (model, task and subtask names) put into Markdown for a code review: they
// must render as exactly their text, never as links, images or HTML.

/** Line breaks and other control characters would end a paragraph or a table row. */
const oneLine = (text: string) => text.replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/g, " ");

/** Text that renders as itself anywhere, table cells included: every ASCII punctuation character is backslash-escaped (CommonMark allows it for all of them). */
export function markdownText(text: string): string {
  return oneLine(text).replace(/[!-/:-@[-`{-~]/g, "\\$&");
}

/**
 * Text as a code span, fenced with one more backtick than its longest run of backticks, so no
 * backtick in it can close the span early. Not for table cells: GFM splits cells at `|` even in code.
 */
export function markdownCode(text: string): string {
  const line = oneLine(text);
  const fence = "`".repeat(Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length)) + 1);
  // the spaces let a label start or end with a backtick; CommonMark strips one on each side
  return `${fence} ${line} ${fence}`;
}
