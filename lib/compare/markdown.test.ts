import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { markdownCode, markdownText } from "@/lib/format/markdown";
import { markdownSummary } from "./markdown";
import { compareReport } from "./report";
import type { AlignedRow } from "./sql";

// A renderer as permissive as a code review's: raw HTML and bare URLs on
const md = new MarkdownIt({ html: true, linkify: true });

const PAYLOADS = [
  "x` ![beacon](http://evil.example/b.png) `y",
  "``<img src=http://evil.example/i.png>``",
  "<script>alert(1)</script>",
  "[click](http://evil.example)",
  "a | b | c",
  "line\n\n# heading\n<b>bold</b>",
  "http://evil.example/bare",
  "&lt;img&gt; \\` ` trailing`",
];

function rows(task: string, subtask: string): AlignedRow[] {
  return Array.from({ length: 40 }, (_, i) => ({ task, subtask, instance_id: `q${i}`, sample: 0, cluster_a: null, cluster_b: null, score_a: i < 10 ? 1 : i % 2, score_b: i < 10 ? 0 : i % 2, pairing: "shared" as const }));
}

/** What a reader sees: the rendered HTML's text, and whether it holds any element (or link beyond its own) a label could have smuggled in. */
function rendered(markdown: string, ownLinks = 0) {
  const html = md.render(markdown);
  const smuggled = /<(img|script|b|h1|iframe)\b/i.test(html) || (html.match(/<a /g) ?? []).length > ownLinks;
  return { html, smuggled, text: html.replace(/<[^>]+>/g, "") };
}

const decode = (text: string) => text.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&quot;", '"').replaceAll("&amp;", "&");

describe("the Markdown summary renders labels as plain text", () => {
  it("model names, task and subtask names carry no image, link or HTML into the review", () => {
    for (const payload of PAYLOADS) {
      const report = compareReport([...rows(`t1${payload}`, `s${payload}`), ...rows("t2", "plain")], { task: `t1${payload}`, subtask: `s${payload}` }, { seed: 1, B: 200, alpha: 0.05 });
      const summary = markdownSummary(report, { run_id: "a", label: payload }, { run_id: "b", label: `b ${payload}` }, "https://evalbench.local/compare?a=x&b=(y)");
      const { html, smuggled, text } = rendered(summary, 1);
      expect(smuggled, `${payload}\n${html}`).toBe(false);
      // the one link is the summary's own, whole
      expect(html).toContain('<a href="https://evalbench.local/compare?a=x&amp;b=(y)">Open this comparison</a>');
      const flat = payload.replace(/\s+/g, " ");
      expect(decode(text).replace(/\s+/g, " "), payload).toContain(flat.trim());
    }
  });

  it("a per-task row keeps its seven cells whatever the subtask is called", () => {
    const report = compareReport([...rows("t1", "a | b | c"), ...rows("t2", "x")], {}, { seed: 1, B: 200, alpha: 0.05 });
    const html = md.render(markdownSummary(report, { run_id: "a", label: "A" }, { run_id: "b", label: "B" }));
    const taskTable = html.split("<table>")[2];
    expect(taskTable).toContain("<td>t1/a | b | c</td>");
    for (const row of taskTable.split("<tr>").slice(2)) expect(row.match(/<td>/g)).toHaveLength(7);
  });

  it("the helpers render as their text alone", () => {
    for (const payload of PAYLOADS) {
      for (const markdown of [markdownText(payload), markdownCode(payload)]) {
        const { smuggled, text } = rendered(markdown);
        expect(smuggled, markdown).toBe(false);
        expect(decode(text).trim()).toBe(payload.replace(/\n/g, " ").trim());
      }
    }
  });
});

describe("the Markdown summary's content", () => {
  const six = ["a", "b", "c", "d", "e", "f"].flatMap((subtask, k) =>
    Array.from({ length: 30 }, (_, i) => ({ task: "mmlu", subtask, instance_id: `${subtask}${i}`, sample: 0, cluster_a: null, cluster_b: null, score_a: i < 10 + k ? 1 : 0, score_b: i < 10 ? 1 : 0, pairing: "shared" as const })),
  );

  it("lists every subtask with both sides' scores, each task before its subtasks", () => {
    const report = compareReport(six, {}, { seed: 1, B: 200, alpha: 0.05 });
    const summary = markdownSummary(report, { run_id: "new", label: "model step-2" }, { run_id: "old", label: "model step-1" });
    const rows = summary.split("\n").filter((line) => line.startsWith("| mmlu"));
    // markdownText escapes the slash
    expect(rows.map((line) => line.split(" | ")[0])).toEqual(["| mmlu", ...["a", "b", "c", "d", "e", "f"].map((s) => `| mmlu\\/${s}`)]);
    // subtask f: the candidate right on 15 of 30, the baseline on 10
    expect(rows[6]).toMatch(/^\| mmlu\\\/f \| 30 \| 50\.0 \| 33\.3 \| 16\.7 \| \[/);
    expect(summary).toContain("| task | n | candidate | baseline | Δ | 95% CI | p (Holm) |");
    expect(summary).toContain("candidate ` model step-2 ` vs baseline ` model step-1 `");
    expect(summary).not.toMatch(/\bA\b|\bB\b/);
  });

  it("says warnings in words, not codes", () => {
    const tiny = compareReport(six.slice(0, 10), {}, { seed: 1, B: 200, alpha: 0.05 });
    expect(tiny.warnings).toContain("SMALL_N");
    const summary = markdownSummary(tiny, { run_id: "new", label: "x" }, { run_id: "old", label: "y" });
    expect(summary).toContain("fewer than 30 questions: the normal-approximation intervals are rough");
    expect(summary).not.toContain("SMALL_N");
  });
});
