import { createHash } from "node:crypto";

/** JSON with object keys sorted at every depth, so equal content always serializes alike. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Short content hash of any JSON value: key order never changes it. */
export function contentHash(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex").slice(0, 16);
}

/**
 * Hash of a question as its dataset defines it: its input fields and its gold target, never the
 * rendered prompt. Two prompt templates or harnesses on one benchmark keep questions paired; a
 * question or gold answer edited under the same id gets a new hash and shows up as a mismatch.
 */
export function instanceHash(input: unknown, target: unknown): string {
  return contentHash({ input, target });
}
