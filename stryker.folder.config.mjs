import base from "./stryker.config.mjs";

// `npm run test:mutation:workspace` / `test:mutation:importers`: one folder's code (MUTATE_FOLDER),
// with only that folder's tests (vitest.mutation-folder.config.ts): the score its own tests earn,
// without the slow imports of other folders running for every mutant. Static mutants (module-level
// constants) are left out: each one reloads every module and runs every test, three quarters of
// the time of a whole run, which does not finish in hours on 2 shared cores.
const folder = process.env.MUTATE_FOLDER;
if (!folder) throw new Error("set MUTATE_FOLDER to the folder to mutate, e.g. MUTATE_FOLDER=lib/workspace");

const config = {
  ...base,
  mutate: [`${folder}/**/*.ts`, "!**/*.test.ts", "!**/testing/**", "!**/testing.ts", "!**/fixtures/**"],
  vitest: { configFile: "vitest.mutation-folder.config.ts", related: true },
  ignoreStatic: true,
  reporters: [...base.reporters, "json"],
};

export default config;
