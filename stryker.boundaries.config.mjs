import base from "./stryker.config.mjs";

// `npm run test:mutation:boundaries`: Stryker over the code that guards boundaries (path
// confinement of the workspace, the run journal, the pairing of two runs' questions), with only the
// tests that cover it: minutes, where the full run takes hours on 2 cores. Every mutant that
// survives here is a bug the tests would let through, or is explained in docs/security.md.
const config = {
  ...base,
  mutate: ["lib/workspace/serve.ts", "lib/workspace/catalog.ts:59-73", "lib/workspace/journal.ts", "lib/compare/align.ts", "lib/compare/run-questions.ts"],
  vitest: { configFile: "vitest.mutation-boundaries.config.ts", related: false },
};

export default config;
