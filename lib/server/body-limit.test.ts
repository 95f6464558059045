import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { proxy } from "@/proxy";
import { MAX_BODY_BYTES } from "./body-limit";

describe("request bodies over the limit", () => {
  const post = (bytes: number) => {
    const saved = process.argv;
    process.argv = ["node", "next", "start", "-H", "127.0.0.1"];
    try {
      return proxy(new NextRequest("http://127.0.0.1:3000/api/imports", { method: "POST", headers: { host: "127.0.0.1:3000", "content-length": String(bytes) } }));
    } finally {
      process.argv = saved;
    }
  };

  it("are answered 413 before any handler, naming the limit and the CLI command for large files", async () => {
    const response = post(MAX_BODY_BYTES + 1);
    expect(response.status).toBe(413);
    expect(await response.text()).toMatch(/^this upload is 10 MB; the app takes at most 10 MB at once: import larger files from the shell with npx evalbench import PATH/);
    expect(post(3 * MAX_BODY_BYTES).status).toBe(413);
  });

  it("a body within the limit goes on to its handler", () => {
    expect(post(MAX_BODY_BYTES).headers.get("x-middleware-next")).toBe("1");
  });
});
