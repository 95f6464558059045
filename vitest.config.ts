import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    include: ["lib/**/*.test.ts", "bin/**/*.test.ts", "scripts/**/*.test.ts", "viewer/**/*.test.ts"],
    globalSetup: ["bin/test-setup.mjs"],
    testTimeout: 30_000,
  },
});
