import path from "node:path";
import { defineConfig } from "@playwright/test";
import { CHROMIUM } from "./e2e/fixtures/browser";
import { CATALOG_URL, CATALOG_WORKSPACE, CLUSTER_DATA, CLUSTER_DIR, CLUSTER_HARNESS, CLUSTER_URL, CLUSTER_WORKSPACE, EMPTY_URL, EMPTY_WORKSPACE, EXPOSED_URL, EXPOSED_WORKSPACE, IMPORT_URL, IMPORT_WORKSPACE, LAUNCH_DATA, LAUNCH_URL, LAUNCH_WORKSPACE, MAIN_URL, MAIN_WORKSPACE, PUBLISHED_ROOT, PUBLISHED_URL, SERIES_URL, SERIES_WORKSPACE } from "./e2e/fixtures/paths";

/** `next start` on loopback against a test workspace; run `npm run build` first. */
function server(url: string, workspace: string, env: Record<string, string> = {}, ready = "/") {
  const { hostname, port } = new URL(url);
  return {
    command: `npx next start -p ${port} -H ${hostname}`,
    url: `${url}${ready}`,
    env: { EVALBENCH_WORKSPACE: workspace, NEXT_TELEMETRY_DISABLED: "1", ...env },
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
    launchOptions: CHROMIUM,
    trace: "retain-on-failure",
  },
  webServer: [
    // its compare page has Publish: viewers go under PUBLISHED_ROOT/app, served by the publish spec's static server
    server(MAIN_URL, MAIN_WORKSPACE, { EVALBENCH_PUBLISH: path.join(PUBLISHED_ROOT, "app"), EVALBENCH_PUBLISH_BASE_URL: `${PUBLISHED_URL}/app/` }),
    server(EMPTY_URL, EMPTY_WORKSPACE),
    server(IMPORT_URL, IMPORT_WORKSPACE),
    // launches runs (child processes) into its own workspace, from local data, two at a time. Its
    // readiness check must not open the launcher (the runs page does): that would read the
    // workspace's launches/ before global-setup empties it
    server(LAUNCH_URL, LAUNCH_WORKSPACE, { EVALBENCH_DATA: LAUNCH_DATA, EVALBENCH_MAX_RUNS: "2" }, "/api/runs"),
    server(SERIES_URL, SERIES_WORKSPACE),
    // submits to and asks the Slurm cluster that e2e/cluster.spec.ts starts (its slurm.conf is read per command)
    server(CLUSTER_URL, CLUSTER_WORKSPACE, { EVALBENCH_DATA: CLUSTER_DATA, SLURM_CONF: `${CLUSTER_DIR}/slurm.conf`, EVALBENCH_HARNESS_FILE: CLUSTER_HARNESS }, "/api/runs"),
    // a non-loopback address without a token: it answers 403 to everything, which Playwright counts as up
    server(EXPOSED_URL, EXPOSED_WORKSPACE),
    server(CATALOG_URL, CATALOG_WORKSPACE),
  ],
});
