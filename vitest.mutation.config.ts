import { defineConfig } from "vitest/config";
import base from "./vitest.config";

// The tests of the code mutation testing covers (stryker.config.mjs): each mutant runs the ones
// that reach it, so leaving the rest out keeps the run to what can kill it. (Not mergeConfig: it
// would append these to the base's `include`, which names every test.)
export default defineConfig({ ...base, test: { ...base.test, include: ["lib/workspace/**/*.test.ts", "lib/server/**/*.test.ts", "lib/compare/**/*.test.ts", "lib/importers/**/*.test.ts"] } });
