import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { assertSameOrigin } from "./same-origin";

const call = (headers: Record<string, string>) => () => assertSameOrigin({ headers: new Headers(headers) });

// the headers a server action sees: a page of another origin posting to this server
vi.mock("next/headers", () => ({ headers: async () => new Headers({ host: "127.0.0.1:3000", origin: "http://evil.example" }) }));

describe("state-changing calls (routes and server actions) come from the app's own pages", () => {
  it("a page of this server may call", () => {
    expect(call({ host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000" })).not.toThrow();
  });

  it("another origin, a missing Origin or a garbled one is refused with 403", () => {
    for (const origin of ["http://evil.example", "http://127.0.0.1:3001", "null", ""]) {
      expect(call({ host: "127.0.0.1:3000", origin }), origin).toThrow(/cross-origin request refused/);
    }
    expect(call({ host: "127.0.0.1:3000" })).toThrow(expect.objectContaining({ status: 403 }));
  });

  it("every server action refuses a foreign origin before it does anything (the demo loader included)", async () => {
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "evalbench-actions-"));
    vi.stubEnv("EVALBENCH_WORKSPACE", workspace);
    try {
      const actions = { ...(await import("@/app/actions")), ...(await import("@/app/launch/actions")) };
      expect(Object.keys(actions).sort()).toEqual(["cancelClusterJob", "cancelJob", "dismissJobs", "launchFromForm", "listWatchers", "loadDemoRuns", "rerunJob", "resumeRun", "startWatcherFromForm", "stopWatcher", "testEndpointFromForm"]);
      for (const [name, action] of Object.entries(actions) as [string, (...args: unknown[]) => Promise<unknown>][]) {
        await expect(action({ errors: {} }, new FormData()), name).rejects.toThrow(/cross-origin request refused/);
      }
      expect(fs.readdirSync(workspace)).toEqual([]);
    } finally {
      vi.unstubAllEnvs();
      fs.rmSync(workspace, { recursive: true, force: true });
    }
  });
});
