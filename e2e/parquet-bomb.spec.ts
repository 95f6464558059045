import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { encodeView } from "@/lib/share/view-state";
import { BOMB_URL, BOMB_WORKSPACE } from "./fixtures/paths";
import { BOMB } from "./fixtures/runs";
import { expect, test } from "./fixtures/test";

// A run whose 640 KB records.parquet unpacks to 1.3 GB (one 64 KB subtask on every row, stored
// once per row group by a dictionary). The question browser and the compare page read it in the
// browser; each must refuse it with the limit named, rather than take the tab's memory.
const REFUSAL = /^cannot read the records of run bomb-candidate: they unpack to more than the 512 MB one read may hold, most of it in column subtask \(docs\/security.md\): a small file that unpacks this far is a decompression bomb/;

let server: ChildProcess | null = null;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  execFileSync("npx", ["tsx", "e2e/fixtures/build-bomb-workspace.ts", BOMB_WORKSPACE], { stdio: "inherit" });
  const { hostname, port } = new URL(BOMB_URL);
  // its own group, so stopping it stops next's children too
  server = spawn("npx", ["next", "start", "-p", port, "-H", hostname], { env: { ...process.env, EVALBENCH_WORKSPACE: BOMB_WORKSPACE, NEXT_TELEMETRY_DISABLED: "1" }, stdio: "ignore", detached: true });
  await expect.poll(() => fetch(`${BOMB_URL}/api/runs`).then((r) => r.status, () => 0), { timeout: 60_000 }).toBe(200);
});

test.afterAll(() => {
  if (server?.pid) process.kill(-server.pid);
});

test("the question browser refuses the bomb with the limit named, and still reads the plain run", async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(`${BOMB_URL}/runs/${BOMB.candidate}`);
  await expect(page.getByTestId("records-error")).toHaveText(REFUSAL, { timeout: 30_000 });
  await page.screenshot({ path: "test-results/parquet-bomb-run.png" });

  await page.goto(`${BOMB_URL}/runs/${BOMB.baseline}`);
  await expect(page.getByTestId("question-row").first()).toBeVisible();
  await expect(page.getByTestId("records-error")).toHaveCount(0);
});

test("the compare page refuses the bomb with the limit named", async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(`${BOMB_URL}/compare?${encodeView({ a: BOMB.candidate, b: BOMB.baseline })}`);
  await expect(page.getByTestId("compare-error")).toHaveText(REFUSAL, { timeout: 30_000 });
  // nothing says questions are still loading: there are none to load
  await expect(page.getByTestId("question-count")).toHaveCount(0);
  await page.screenshot({ path: "test-results/parquet-bomb-compare.png" });
});
