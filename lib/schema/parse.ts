import { z } from "zod";
import { RunManifest } from "./manifest";
import { QuestionRecord } from "./record";
import { checkSchemaVersion } from "./version";

export class SchemaValidationError extends Error {
  constructor(what: string, error: z.ZodError) {
    const problems = error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
      .join("; ");
    super(`${what} is not valid: ${problems}`);
    this.name = "SchemaValidationError";
  }
}

/**
 * Validates a run manifest read from disk. Version 1 is the first schema: when version 2 exists,
 * the upgrade of older manifests goes here, before validation.
 */
export function parseManifest(json: unknown, what = "run.json"): RunManifest {
  const version = (json as { schema_version?: unknown } | null)?.schema_version;
  checkSchemaVersion(what, version);
  const parsed = RunManifest.safeParse(json);
  if (!parsed.success) throw new SchemaValidationError(what, parsed.error);
  return parsed.data;
}

export function parseRecord(json: unknown, what = "record"): QuestionRecord {
  const parsed = QuestionRecord.safeParse(json);
  if (!parsed.success) throw new SchemaValidationError(what, parsed.error);
  return parsed.data;
}
