import { expect, test } from "@playwright/test";
import { CHROMIUM } from "./fixtures/browser";
import { EXPOSED_URL, MAIN_URL } from "./fixtures/paths";
import { RUNS } from "./fixtures/runs";

const port = new URL(MAIN_URL).port;

// DNS rebinding as the browser sees it: a foreign name that resolves to the server's 127.0.0.1.
// (Not the offline-guarded fixture: it would block the foreign name before it reached the server.)
test.use({ launchOptions: { ...CHROMIUM, args: [...CHROMIUM.args, "--host-resolver-rules=MAP rebind.attacker.test 127.0.0.1"] } });

test("a page on a foreign name resolved to 127.0.0.1 gets nothing: pages, runs, imports all answer 421", async ({ page }) => {
  const response = await page.goto(`http://rebind.attacker.test:${port}/`);
  expect(response?.status()).toBe(421);
  await expect(page.locator("body")).toContainText("evalbench answers only to 127.0.0.1, localhost, [::1]");
  await expect(page.locator("body")).not.toContainText(RUNS.a);
  // the attacker's script, same-origin with itself, reads and writes through fetch
  const statuses = await page.evaluate(async () => {
    const runs = await fetch("/api/runs");
    const file = await fetch("/api/files/runs/x/run.json");
    const upload = await fetch("/api/imports", { method: "POST", body: new FormData() });
    return [runs.status, file.status, upload.status, (await runs.text()).includes("run_id")];
  });
  expect(statuses).toEqual([421, 421, 421, false]);
});

test("the same server answers under its own names", async ({ page }) => {
  for (const host of ["127.0.0.1", "localhost"]) {
    const response = await page.goto(`http://${host}:${port}/`);
    expect(response?.status(), host).toBe(200);
    await expect(page.locator(`[data-run-id="${RUNS.a}"]`)).toBeVisible();
  }
});

test("`next start -H 127.0.0.2` without a token refuses reads and writes, whatever the Host", async ({ request }) => {
  for (const host of ["127.0.0.2", "localhost"]) {
    const headers = { host: `${host}:${new URL(EXPOSED_URL).port}`, origin: `http://${host}:${new URL(EXPOSED_URL).port}` };
    const upload = await request.post(`${EXPOSED_URL}/api/imports`, { headers, multipart: { files: { name: "x.jsonl", mimeType: "text/plain", buffer: Buffer.from("{}\n") } } });
    expect(upload.status(), host).toBe(403);
    expect(await upload.text()).toMatch(/refusing to listen on 127\.0\.0\.2 without EVALBENCH_TOKEN/);
    expect((await request.get(`${EXPOSED_URL}/api/runs`, { headers })).status()).toBe(403);
  }
});
