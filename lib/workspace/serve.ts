import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";

export class ForbiddenPathError extends Error {
  readonly status = 403;
}
export class FileNotFoundError extends Error {
  readonly status = 404;
}

/**
 * A workspace path segment: plain names only, so nothing can climb out or hide an encoding. Its
 * first character is never a dot, which also refuses `.` and `..`.
 */
const SAFE_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/**
 * Resolves URL path segments to a path strictly inside the workspace. Refuses `..`, `.`, encoded
 * or absolute paths, separators inside a segment, and any symlink whose target lies outside.
 */
export function resolveWorkspacePath(workspace: string, segments: readonly string[]): string {
  checkSegments(segments);
  let root: string;
  let real: string;
  try {
    root = fs.realpathSync(workspace);
  } catch {
    throw new FileNotFoundError(`workspace ${workspace} does not exist`);
  }
  try {
    real = fs.realpathSync(path.join(root, ...segments));
  } catch {
    throw new FileNotFoundError(`${segments.join("/")} does not exist in the workspace`);
  }
  if (!real.startsWith(root + path.sep)) {
    throw new ForbiddenPathError(`${segments.join("/")} resolves outside the workspace`);
  }
  return real;
}

/** Refuses a path that is not plain names (ForbiddenPathError): the check every workspace path gets, a folder's or a bucket's. */
export function checkSegments(segments: readonly string[]): void {
  if (segments.length === 0) throw new ForbiddenPathError("no file named");
  for (const segment of segments) {
    if (!SAFE_SEGMENT.test(segment)) {
      throw new ForbiddenPathError(`refused path segment ${JSON.stringify(segment)}: only plain names inside the workspace are served`);
    }
  }
}

/** resolveWorkspacePath, for a regular file only. */
export function resolveWorkspaceFile(workspace: string, segments: readonly string[]): string {
  const real = resolveWorkspacePath(workspace, segments);
  if (!fs.statSync(real).isFile()) throw new FileNotFoundError(`${segments.join("/")} is not a file`);
  return real;
}

export type ByteRange = { start: number; end: number } | "unsatisfiable" | null;

/** Parses a single `bytes=` range (RFC 9110 14.1.2). Multiple ranges are served as the whole body. */
export function parseRange(header: string | null, size: number): ByteRange {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, first, last] = match;
  if (first === "") {
    // `bytes=-` asks for a suffix of no bytes, as `bytes=-0` does
    const suffix = Number(last);
    if (suffix === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  // a start at or past the end makes end (at most size - 1) fall before it
  if (end < start) return "unsatisfiable";
  return { start, end };
}

const CONTENT_TYPES: Record<string, string> = {
  ".parquet": "application/vnd.apache.parquet",
  ".json": "application/json",
  ".ndjson": "application/x-ndjson",
};

/** Headers that keep a served file inert: never sniffed as HTML, never run as a page. */
const INERT_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Content-Security-Policy": "sandbox; default-src 'none'",
  "Cache-Control": "no-cache",
};

/** A body kept elsewhere (an object in a bucket): its size, and a stream of bytes start..end (inclusive). */
export interface RemoteBody {
  name: string;
  size: number;
  open(start: number, end: number): ReadableStream<Uint8Array>;
}

export type RangeBody = { file: string } | { bytes: Uint8Array<ArrayBuffer>; name: string } | RemoteBody;

/** A Response for a file, an in-memory body or a remote one, honouring a Range header (206 / 416). */
export function rangeResponse(body: RangeBody, request: Request): Response {
  const name = "file" in body ? body.file : body.name;
  const size = "file" in body ? fs.statSync(body.file).size : "bytes" in body ? body.bytes.byteLength : body.size;
  const headers: Record<string, string> = {
    ...INERT_HEADERS,
    "Accept-Ranges": "bytes",
    "Content-Type": CONTENT_TYPES[path.extname(name)] ?? "application/octet-stream",
  };
  const range = parseRange(request.headers.get("range"), size);
  if (range === "unsatisfiable") {
    return new Response(null, { status: 416, headers: { ...headers, "Content-Range": `bytes */${size}` } });
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  const length = Math.max(0, end - start + 1);
  headers["Content-Length"] = String(length);
  if (range) headers["Content-Range"] = `bytes ${start}-${end}/${size}`;
  const status = range ? 206 : 200;
  if (request.method === "HEAD" || length === 0) return new Response(null, { status, headers });
  const stream =
    "file" in body
      ? (Readable.toWeb(fs.createReadStream(body.file, { start, end })) as ReadableStream<Uint8Array>)
      : "bytes" in body
        ? new Blob([body.bytes.subarray(start, end + 1)]).stream()
        : body.open(start, end);
  return new Response(stream, { status, headers });
}
