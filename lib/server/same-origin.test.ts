import { describe, expect, it } from "vitest";
import { assertSameOrigin } from "./same-origin";

const call = (headers: Record<string, string>) => () => assertSameOrigin({ headers: new Headers(headers) });

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
});
