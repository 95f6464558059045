/** The schema version this build writes. Readers accept this version and older ones. */
export const SCHEMA_VERSION = 1;

export class SchemaVersionError extends Error {
  constructor(what: string, found: unknown) {
    super(
      typeof found === "number" && Number.isInteger(found) && found > SCHEMA_VERSION
        ? `${what} has schema_version ${found}, newer than this evalbench reads (${SCHEMA_VERSION}); upgrade evalbench to read it`
        : `${what} has schema_version ${JSON.stringify(found)}; expected a whole number from 1 to ${SCHEMA_VERSION}`,
    );
    this.name = "SchemaVersionError";
  }
}

/** Throws SchemaVersionError unless `found` is a version this build can read. */
export function checkSchemaVersion(what: string, found: unknown): number {
  if (typeof found !== "number" || !Number.isInteger(found) || found < 1 || found > SCHEMA_VERSION) {
    throw new SchemaVersionError(what, found);
  }
  return found;
}
