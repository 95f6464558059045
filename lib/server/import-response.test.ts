import { describe, expect, it, vi } from "vitest";
import { ImportError } from "@/lib/importers/types";
import { importErrorResponse } from "./import-response";
import { errorResponse, serverWorkspace } from "./workspace";

describe("an import's error as the import form's response", () => {
  it("is a 400 for the user's source, naming files as dropped and the form's fields instead of flags", async () => {
    const response = importErrorResponse(new ImportError("/tmp/evalbench-upload-1/answers.csv row 2: --score gives \"x\"; name it with --model-name"), "/tmp/evalbench-upload-1");
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'answers.csv row 2: the mapping\'s score gives "x"; set Model name' });
  });

  it("keeps a failure's own status, and answers 500 for anything that is not the source's fault", async () => {
    const tooBig = importErrorResponse(Object.assign(new Error("this upload is 11 MB"), { status: 413 }), null);
    expect([tooBig.status, await tooBig.json()]).toEqual([413, { error: "this upload is 11 MB" }]);
    const crash = importErrorResponse(new Error("EIO: i/o error, read /tmp/up/a.csv"), null);
    expect([crash.status, await crash.json()]).toEqual([500, { error: "EIO: i/o error, read /tmp/up/a.csv" }]);
  });
});

describe("the server's workspace", () => {
  it("is EVALBENCH_WORKSPACE made absolute, or a bucket without its trailing slash", () => {
    vi.stubEnv("EVALBENCH_WORKSPACE", "some/ws");
    try {
      expect(serverWorkspace()).toBe(`${process.cwd()}/some/ws`);
      vi.stubEnv("EVALBENCH_WORKSPACE", "s3://bucket/runs/");
      expect(serverWorkspace()).toBe("s3://bucket/runs");
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("answers an error as JSON with its status, 500 when it has none", async () => {
    const response = errorResponse(new Error("boom"));
    expect([response.status, await response.json()]).toEqual([500, { error: "boom" }]);
    expect(errorResponse(Object.assign(new Error("no such run"), { status: 404 })).status).toBe(404);
  });
});
