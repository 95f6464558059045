import { defineConfig } from "vitest/config";
import base from "./vitest.mutation.config";

// The tests of the one folder stryker.folder.config.mjs mutates (MUTATE_FOLDER).
export default defineConfig({ ...base, test: { ...base.test, include: [`${process.env.MUTATE_FOLDER}/**/*.test.ts`] } });
