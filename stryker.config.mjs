// Mutation testing (`npm run test:mutation`): Stryker changes one thing at a time in the code
// that guards data and boundaries, and runs the tests that cover it; a mutant that survives is a
// bug the tests would let through. Slow: narrow it with --mutate FILE[,FILE].
const config = {
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner"],
  vitest: { configFile: "vitest.mutation.config.ts", related: true },
  mutate: ["lib/workspace/**/*.ts", "lib/server/**/*.ts", "lib/compare/**/*.ts", "lib/importers/**/*.ts", "!**/*.test.ts", "!**/testing/**", "!**/testing.ts"],
  coverageAnalysis: "perTest",
  concurrency: 1,
  reporters: ["clear-text", "progress"],
  // in place: the tests read ../shared/data relative to the checkout, which a sandbox copy would move
  inPlace: true,
  // vitest does not type-check, so no file needs the // @ts-nocheck Stryker would add to all of them
  disableTypeChecks: false,
};

export default config;
