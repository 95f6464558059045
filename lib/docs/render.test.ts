import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { TERMS } from "@/lib/compare/explain";
import { headingSlug, renderDoc } from "./render";

describe("the statistics doc in the app", () => {
  it("makes GitHub's anchors", () => {
    expect(headingSlug("Intervals, 1 SE and 95% CI")).toBe("intervals-1-se-and-95-ci");
    expect(headingSlug("MDE, minimum detectable effect")).toBe("mde-minimum-detectable-effect");
  });

  it("has a section for every term the compare page links to", () => {
    const html = renderDoc(fs.readFileSync("docs/statistics.md", "utf8"));
    for (const [term, { anchor }] of Object.entries(TERMS)) expect(html, term).toContain(`id="${anchor}"`);
  });

  it("renders raw HTML as text", () => {
    expect(renderDoc("# a\n\n<script>x</script>")).toContain("&lt;script&gt;");
  });
});
