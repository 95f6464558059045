/**
 * Control characters a terminal would act on rather than show: C0 but tab and newline (ESC starts
 * colour, cursor and title sequences; CR overwrites the line), DEL, C1 (0x9b is a one-byte CSI) and
 * the bidirectional overrides that reorder what is shown.
 */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text for a terminal: every control character taken from names, files or errors is shown as its
 * `\u00XX` escape (which is also valid inside JSON strings) instead of being acted on.
 */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
