import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { FORMATS, ImportError, type ImportOptions } from "./types";

/** Uploaded files wait here between "detect" and "import"; never inside the workspace. */
export const UPLOAD_ROOT = path.join(os.tmpdir(), "evalbench-uploads");
/** An upload nobody confirmed is removed after this long. */
const UPLOAD_TTL_MS = 60 * 60 * 1000;
/** Plain file names only: detection reads names like samples_<task>_<time>.jsonl. */
const FILE_NAME = /^[\w][\w .()+=-]{0,199}$/;
const TOKEN = /^[0-9a-f]{24}$/;

export class UploadError extends ImportError {}

function removeStaleUploads(now = Date.now()): void {
  for (const entry of fs.readdirSync(UPLOAD_ROOT, { withFileTypes: true })) {
    const dir = path.join(UPLOAD_ROOT, entry.name);
    if (entry.isDirectory() && now - fs.statSync(dir).mtimeMs > UPLOAD_TTL_MS) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Stores uploaded files in a fresh folder and returns its token. */
export function saveUpload(files: { name: string; bytes: Uint8Array }[]): string {
  if (files.length === 0) throw new UploadError("no files were uploaded: drop the files of one evaluation (e.g. samples_*.jsonl with results_*.json)");
  const names = new Set<string>();
  for (const { name } of files) {
    if (!FILE_NAME.test(name)) throw new UploadError(`refused file name ${JSON.stringify(name)}: use plain names (letters, digits, . _ - space)`);
    if (names.has(name)) throw new UploadError(`two uploaded files are named ${name}; upload files with distinct names`);
    names.add(name);
  }
  fs.mkdirSync(UPLOAD_ROOT, { recursive: true });
  removeStaleUploads();
  const token = randomBytes(12).toString("hex");
  const dir = path.join(UPLOAD_ROOT, token);
  fs.mkdirSync(dir);
  for (const { name, bytes } of files) fs.writeFileSync(path.join(dir, name), bytes);
  return token;
}

/** The folder of an upload, for a token that is well formed and still there. */
export function uploadDir(token: string): string {
  const dir = path.join(UPLOAD_ROOT, token);
  if (!TOKEN.test(token) || !fs.existsSync(dir)) throw new UploadError("this upload is gone (imported, discarded, or older than an hour); drop the files again");
  return dir;
}

/** The files of an upload, named one by one: each must be one the importers recognise. */
export function uploadFiles(dir: string): string[] {
  return fs.readdirSync(dir).sort().map((name) => path.join(dir, name));
}

export function discardUpload(token: string): void {
  if (TOKEN.test(token)) fs.rmSync(path.join(UPLOAD_ROOT, token), { recursive: true, force: true });
}

const optional = z
  .string()
  .trim()
  .transform((s) => (s === "" ? undefined : s))
  .optional();

/** The import options a browser may set: the CLI's flags, nothing that names a server path. */
export const UploadOptions = z
  .object({
    format: z.enum(FORMATS).optional(),
    modelName: optional,
    checkpoint: optional,
    step: z.coerce.number().int().nonnegative().optional(),
    task: optional,
    skipBadRows: z.boolean().optional(),
    table: z
      .object({ id: optional, score: optional, response: optional, target: optional, prompt: optional, subtask: optional, cluster: optional, metric: optional })
      .optional(),
  })
  .strict();

export type UploadOptions = z.infer<typeof UploadOptions>;

/** Form options to the importer's, or an error naming the field that is wrong. */
export function importOptions(input: unknown): ImportOptions {
  const parsed = UploadOptions.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UploadError(`import option ${issue.path.join(".") || "(options)"} is not valid: ${issue.message}`);
  }
  const { table, ...rest } = parsed.data;
  const mapping = table && (table.id || table.score) ? table : undefined;
  if (mapping && (!mapping.id || !mapping.score)) throw new UploadError("a table mapping needs both an id and a score expression");
  return { ...rest, table: mapping ? { ...mapping, id: mapping.id!, score: mapping.score! } : undefined };
}
