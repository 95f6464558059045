import { contentHash } from "@/lib/schema/hash";
import { fileSha256 } from "@/lib/workspace/sha256";
import type { Format, ImportedRun } from "./types";

/** Lower-case letters, digits, `.`, `_` and `-` only, at most `max` characters. */
export function slug(text: string, max: number): string {
  const cleaned = text.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/-{2,}/g, "-").replace(/^[-._]+|[-._]+$/g, "");
  return cleaned.slice(0, max).replace(/[-._]+$/g, "") || "x";
}

/**
 * `import-<format>-<model>-<task>-<hash>`: the hash covers the source files' bytes and whatever
 * else changed the records (a table mapping), so importing the same source twice finds the same id.
 */
export function importRunId(format: Format, imported: ImportedRun, extra: unknown): string {
  const { model, task } = imported.run;
  // lm-eval variants already start with the task name (bbh_cot_fewshot_snarks); others (rc::olmes) do not.
  const spec = task.variant === null || task.variant === undefined ? task.name : task.variant.startsWith(task.name) ? task.variant : `${task.name}-${task.variant}`;
  const hash = contentHash({ files: imported.files.map(fileSha256), extra, model, task: spec }).slice(0, 10);
  return `import-${format}-${slug(model.name, 60)}-${slug(spec, 60)}-${hash}`;
}
