import { describe, expect, it } from "vitest";
import { viewerHref } from "./next-link";

describe("viewerHref", () => {
  it("maps the app's routes to the viewer's pages", () => {
    expect(viewerHref("/compare?v=1&a=x&b=y")).toBe("compare.html?v=1&a=x&b=y");
    expect(viewerHref("/runs/run-1")).toBe("run.html?id=run-1");
    expect(viewerHref("/matrix?run=x&run=y")).toBe("matrix.html?run=x&run=y");
    expect(viewerHref("/")).toBe("index.html");
    expect(viewerHref("/series?line=m&task=gsm8k&k=3")).toBe("series.html?line=m&task=gsm8k&k=3");
    expect(viewerHref("/launch")).toBe("index.html");
  });
});
