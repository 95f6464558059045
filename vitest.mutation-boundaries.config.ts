import { defineConfig } from "vitest/config";
import base from "./vitest.config";

// The tests of the boundary code stryker.boundaries.config.mjs mutates.
const include = ["lib/workspace/serve.test.ts", "lib/workspace/catalog.test.ts", "lib/workspace/journal.test.ts", "lib/workspace/run-writer.test.ts", "lib/workspace/kill.test.ts", "lib/compare/align.test.ts", "lib/compare/run-questions.test.ts"];

export default defineConfig({ ...base, test: { ...base.test, include } });
