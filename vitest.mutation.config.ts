import { defineConfig } from "vitest/config";
import base from "./vitest.config";

// The tests of the code mutation testing covers (stryker.config.mjs): each mutant runs the ones
// that reach it, so leaving the rest out keeps the run to what can kill it. (Not mergeConfig: it
// would append these to the base's `include`, which names every test.) Mutation runs go at the
// lowest priority on a shared machine (nice -n 19), where the slowest import tests take minutes:
// a test that times out in the first run stops Stryker altogether.
export default defineConfig({
  ...base,
  test: { ...base.test, testTimeout: 300_000, include: ["lib/workspace/**/*.test.ts", "lib/server/**/*.test.ts", "lib/compare/**/*.test.ts", "lib/importers/**/*.test.ts"] },
});
