import { z } from "zod";

/**
 * A serve command template: the shell command that starts a model server for one checkpoint, with
 * {checkpoint} (what the server loads) and {port} (a free port evalbench picks) filled in per run.
 * It comes from `--serve` or from a harness preset's `serve` field, never from a browser.
 */
export const ServeTemplate = z
  .object({
    command: z.string().min(1),
    /** How long the server may take to answer /v1/models (loading weights takes minutes for big models). */
    timeout_s: z.number().int().positive().default(600),
  })
  .strict();
export type ServeTemplate = z.infer<typeof ServeTemplate>;

/** What is wrong with a serve command, in words that follow its name; null when nothing is. */
export function serveTemplateProblem(command: string): string | null {
  if (!command.includes("{port}")) return "has no {port}: evalbench picks a free port and the server must listen on it, e.g. 'vllm serve {checkpoint} --port {port}'";
  const unknown = [...command.matchAll(/\{(\w*)\}/g)].map((m) => m[1]).filter((name) => name !== "port" && name !== "checkpoint");
  if (unknown.length > 0) return `has unknown placeholder(s) ${unknown.map((n) => `{${n}}`).join(", ")}; it takes {checkpoint} and {port}`;
  return null;
}
