import { describe, expect, it } from "vitest";
import { viewerHref } from "./next-link";

describe("viewerHref", () => {
  it("maps the app's routes to the viewer's pages", () => {
    expect(viewerHref("/compare?v=1&a=x&b=y")).toBe("compare.html?v=1&a=x&b=y");
    expect(viewerHref("/runs/run-1")).toBe("index.html#run-run-1");
    expect(viewerHref("/")).toBe("index.html");
    expect(viewerHref("/series?task=gsm8k")).toBe("index.html");
  });
});
