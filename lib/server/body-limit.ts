/**
 * Largest request body the server takes (Next's proxy buffers at most this much of a body and
 * hands the rest on cut short, so a larger upload would fail as a garbled form). next.config.ts
 * sets Next's limit from it.
 */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, "")} MB`;

/** Why a request with this Content-Length is refused (413), or null. */
export function bodyTooLarge(contentLength: string | null): string | null {
  const bytes = Number(contentLength ?? 0);
  if (!(bytes > MAX_BODY_BYTES)) return null;
  return `this upload is ${mb(bytes)}; the app takes at most ${mb(MAX_BODY_BYTES)} at once: import larger files from the shell with npx evalbench import PATH... --workspace WORKSPACE`;
}
