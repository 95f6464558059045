import path from "node:path";

/** The project's shared data folder (read-only, beside the repo): tests read the real files there. */
export const SHARED_DATA = path.resolve(import.meta.dirname, "..", "..", "..", "shared", "data");

export const FIXTURES = path.join(import.meta.dirname, "fixtures");

export const shared = (...parts: string[]) => path.join(SHARED_DATA, ...parts);
