import { defineConfig } from "@playwright/test";
import { EMPTY_URL, EMPTY_WORKSPACE, IMPORT_URL, IMPORT_WORKSPACE, MAIN_URL, MAIN_WORKSPACE } from "./e2e/fixtures/paths";

/** `next start` on loopback against a test workspace; run `npm run build` first. */
function server(url: string, workspace: string) {
  const { port } = new URL(url);
  return {
    command: `npx next start -p ${port} -H 127.0.0.1`,
    url: `${url}/`,
    env: { EVALBENCH_WORKSPACE: workspace, NEXT_TELEMETRY_DISABLED: "1" },
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
    stdout: "ignore" as const,
    stderr: "pipe" as const,
  };
}

export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  fullyParallel: false,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  forbidOnly: !!process.env.CI,
  reporter: [["list"], ["json", { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ?? "test-results/e2e.json" }]],
  use: {
    baseURL: MAIN_URL,
    browserName: "chromium",
    // Debian's Chromium: `playwright install` needs a CDN this machine cannot reach
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
    trace: "retain-on-failure",
  },
  webServer: [server(MAIN_URL, MAIN_WORKSPACE), server(EMPTY_URL, EMPTY_WORKSPACE), server(IMPORT_URL, IMPORT_WORKSPACE)],
});
