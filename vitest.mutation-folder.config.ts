import { configDefaults, defineConfig } from "vitest/config";
import base from "./vitest.mutation.config";

// The tests of the one folder stryker.folder.config.mjs mutates (MUTATE_FOLDER), without those that
// push whole real benchmark files through the importers (*.real-data.test.ts): they take seconds
// each for every mutant they reach, and hand-made fixtures in the other tests cover the same code.
export default defineConfig({
  ...base,
  test: { ...base.test, include: [`${process.env.MUTATE_FOLDER}/**/*.test.ts`], exclude: [...configDefaults.exclude, "**/*.real-data.test.ts"] },
});
