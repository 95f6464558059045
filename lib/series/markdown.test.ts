import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { seriesMarkdown } from "./markdown";
import { seriesReportOnDisk } from "./on-disk";
import { writeFixtureRuns } from "./testing/workspace";

// as permissive as a code review's renderer: raw HTML and bare URLs on
const md = new MarkdownIt({ html: true, linkify: true });

describe("series summary for a code review", () => {
  it("renders model names from outside as their text: no image, link or HTML", async () => {
    const hostile = "x` ![beacon](http://evil.example/b.png) <img src=x> [click](http://evil.example) | cell";
    const ws = tempWorkspace();
    writeFixtureRuns(ws, [
      { runId: "a1", model: hostile, step: 1, scores: [0, 1, 0, 1, 1] },
      { runId: "a2", model: hostile, step: 2, scores: [1, 1, 0, 1, 1] },
    ]);
    const html = md.render(seriesMarkdown(await seriesReportOnDisk(ws, { lines: [hostile], task: "gsm8k" })));
    expect(html).not.toMatch(/<(img|a|script)\b/i);
    // the per-task row keeps its cells: the name's "|" does not split it
    const row = html.split("<tr>").find((r) => r.includes("beacon"))!;
    expect(row.match(/<td>/g)).toHaveLength(9);
    expect(row.replace(/<[^>]+>/g, "")).toContain(hostile.replaceAll("<", "&lt;").replaceAll(">", "&gt;"));
  });
});
