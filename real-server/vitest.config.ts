import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** `npm run test:real-server`: the runner against a real llama-server (built once, cached outside the repository). */
export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("..", import.meta.url)) } },
  test: {
    root: fileURLToPath(new URL("..", import.meta.url)),
    include: ["real-server/**/*.test.ts"],
    globalSetup: ["bin/test-setup.mjs", "real-server/setup.ts"],
    // one llama-server at a time on a shared machine: the files run one after another
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
