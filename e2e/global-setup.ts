import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { EMPTY_WORKSPACE, MAIN_WORKSPACE } from "./fixtures/paths";

/** Rebuilds both test workspaces; the servers read them per request, so the order does not matter. */
export default function globalSetup(): void {
  execFileSync("npx", ["tsx", "e2e/fixtures/build-workspace.ts", MAIN_WORKSPACE], { stdio: "inherit" });
  fs.rmSync(EMPTY_WORKSPACE, { recursive: true, force: true });
  fs.mkdirSync(EMPTY_WORKSPACE, { recursive: true });
}
