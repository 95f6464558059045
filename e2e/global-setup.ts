import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { CATALOG_WORKSPACE, CLUSTER_WORKSPACE, EMPTY_WORKSPACE, EXPOSED_WORKSPACE, IMPORT_WORKSPACE, LAUNCH_WORKSPACE, MAIN_WORKSPACE, SERIES_WORKSPACE } from "./fixtures/paths";

/** Rebuilds the test workspaces; the servers read them per request, so the order does not matter. */
export default function globalSetup(): void {
  // this process (the test runner) outlives the tests: it stands in as the running run's writer
  execFileSync("npx", ["tsx", "e2e/fixtures/build-workspace.ts", MAIN_WORKSPACE, String(process.pid)], { stdio: "inherit" });
  execFileSync("npx", ["tsx", "e2e/fixtures/build-series-workspace.ts", SERIES_WORKSPACE], { stdio: "inherit" });
  execFileSync("npx", ["tsx", "e2e/fixtures/build-catalog-workspace.ts", CATALOG_WORKSPACE], { stdio: "inherit" });
  for (const empty of [EMPTY_WORKSPACE, EXPOSED_WORKSPACE, IMPORT_WORKSPACE, LAUNCH_WORKSPACE, CLUSTER_WORKSPACE]) {
    fs.rmSync(empty, { recursive: true, force: true });
    fs.mkdirSync(empty, { recursive: true });
  }
}
