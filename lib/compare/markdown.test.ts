import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { markdownCode, markdownText } from "@/lib/format/markdown";
import { markdownSummary } from "./markdown";
import { compareReport, type CompareReport, type EffectReport, type PerTaskReport } from "./report";
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

describe("the Markdown summary of a hand-made report, figure by figure", () => {
  /** An effect with every figure set, as a comparison of 0/1 scores with clusters reports it. */
  const effect = (over: Partial<EffectReport> = {}): EffectReport => ({
    n_shared: 400,
    n_only_candidate: 3,
    n_only_baseline: 2,
    n_mismatched: 1,
    n_unscored: 0,
    mean_candidate: 0.6125,
    mean_baseline: 0.58,
    delta: 0.0325,
    se_paired: 0.0101,
    ci_analytic: [0.01271, 0.05229],
    ci_bootstrap: { method: "bca", level: "cluster", lo: 0.0105, hi: 0.0555 },
    p_value: { method: "mcnemar_exact", value: 0.00234 },
    p_normal: 0.0013,
    mcnemar: { both_right: 200, only_candidate_right: 33, only_baseline_right: 20, both_wrong: 147, p_exact: 0.00234 },
    mde: 0.02828,
    r: 0.8,
    clustered: { n_clusters: 40, se: 0.0113, ci_analytic: [0.0103, 0.0547], mde: 0.03164, design_effect: 1.25 },
    unpaired: null,
    warnings: [],
    ...over,
  });
  const row = (task: string, subtask: string | null, over: Partial<EffectReport> & { p_holm?: number | null } = {}): PerTaskReport => ({ task, subtask, p_holm: null, ...effect(over) });
  const report = (over: Partial<CompareReport> = {}): CompareReport => ({
    ...effect(),
    settings: { seed: 2024, B: 10000, alpha: 0.05 },
    scope: { task: null, subtask: null },
    scale: 100,
    verdict: { direction: "better", text: "candidate is better by 3.3 points, 95% CI [1.1, 5.6]" },
    pairing: { across_tasks: null, nothing_pairs: null },
    per_task: [],
    ...over,
  });
  const candidate = { run_id: "new", label: "lm step-2000" };
  const baseline = { run_id: "old", label: "lm step-1000" };

  it("prints every figure of the headline in points, and every task and subtask in name order, each task first", () => {
    const perTask = [
      row("mmlu", "b", { n_shared: 150, mean_candidate: 0.5, mean_baseline: 0.48, delta: 0.02, ci_bootstrap: null, ci_analytic: [-0.0151, 0.0551], p_holm: 0.41 }),
      row("mmlu", null, { n_shared: 250, p_holm: 0.00001 }),
      row("gsm8k", null, { n_shared: 150, mean_candidate: 0.7, mean_baseline: 0.7, delta: 0, ci_bootstrap: { method: "percentile-fallback", level: "question", lo: -0.02, hi: 0.02 }, p_holm: null }),
      row("mmlu", "a", { n_shared: 100, delta: null, mean_candidate: null, ci_bootstrap: null, ci_analytic: null, p_holm: 1 }),
      row("mmlu", "c", { n_shared: 50, p_holm: 0.0001 }),
    ];
    const summary = markdownSummary(report({ per_task: perTask, warnings: ["SMALL_N", "FEW_CLUSTERS"] }), candidate, baseline, "http://127.0.0.1:3000/compare?candidate=new&baseline=old");
    expect(summary).toBe(
      [
        "**candidate is better by 3.3 points, 95% CI [1.1, 5.6]**",
        "",
        "candidate ` lm step-2000 ` vs baseline ` lm step-1000 `",
        "",
        "| | value (points) |",
        "|---|---|",
        "| candidate / baseline | 61.3 / 58.0 |",
        "| Δ (candidate − baseline) | 3.3 |",
        "| 95% CI, paired bootstrap BCa, clustered | [1.1, 5.5] |",
        "| 95% CI, analytic | [1.3, 5.2] |",
        "| p (mcnemar exact) | 0.0023 |",
        "| MDE (80% power) | 3.2 |",
        "| questions shared / only candidate / only baseline / mismatched | 400 / 3 / 2 / 1 |",
        "",
        "| task | n | candidate | baseline | Δ | 95% CI | p (Holm) |",
        "|---|---|---|---|---|---|---|",
        "| gsm8k | 150 | 70.0 | 70.0 | 0.0 | [-2.0, 2.0] | – |",
        "| mmlu | 250 | 61.3 | 58.0 | 3.3 | [1.1, 5.5] | <0.0001 |",
        "| mmlu\\/a | 100 | – | 58.0 | – | – | 1.0000 |",
        "| mmlu\\/b | 150 | 50.0 | 48.0 | 2.0 | [-1.5, 5.5] | 0.4100 |",
        "| mmlu\\/c | 50 | 61.3 | 58.0 | 3.3 | [1.1, 5.5] | 0.0001 |",
        "",
        "seed 2024, 10000 bootstrap resamples; warnings: fewer than 30 questions: the normal-approximation intervals are rough; fewer than 20 clusters: the clustered intervals are rough",
        "",
        "[Open this comparison](<http://127.0.0.1:3000/compare?candidate=new&baseline=old>)",
      ].join("\n"),
    );
  });

  it("in score units (scores outside [0, 1]) prints three decimals, the analytic interval when there is no bootstrap, the scope and the pairing", () => {
    const summary = markdownSummary(
      report({
        scale: 1,
        settings: { seed: 7, B: 500, alpha: 0.1 },
        scope: { task: "squad", subtask: "dev [v2]" },
        pairing: { across_tasks: { candidate_task: "squad", baseline_task: "squad_v1" }, nothing_pairs: null },
        mean_candidate: 12.5,
        mean_baseline: 11.25,
        delta: 1.25,
        ci_bootstrap: null,
        ci_analytic: [0.5, 2],
        p_value: { method: "sign_flip_monte_carlo", value: 0.04 },
        clustered: null,
        mde: 0.875,
        per_task: [row("squad", "dev [v2]")],
      }),
      candidate,
      baseline,
    );
    const lines = summary.split("\n");
    expect(lines[2]).toBe("candidate ` lm step-2000 ` vs baseline ` lm step-1000 `, scope squad\\/dev \\[v2\\]");
    expect(lines[3]).toBe("");
    expect(lines[4]).toBe(markdownText("paired across task names: the candidate's squad with the baseline's squad_v1, by question id (each run holds one task; changed questions are still caught by their hashes)"));
    expect(lines.slice(6, 15)).toEqual([
      "| | value |",
      "|---|---|",
      "| candidate / baseline | 12.500 / 11.250 |",
      "| Δ (candidate − baseline) | 1.250 |",
      "| 90% CI, analytic | [0.500, 2.000] |",
      "| 90% CI, analytic | [0.500, 2.000] |",
      "| p (sign flip monte carlo) | 0.0400 |",
      "| MDE (80% power) | 0.875 |",
      "| questions shared / only candidate / only baseline / mismatched | 400 / 3 / 2 / 1 |",
    ]);
    // one row in per_task: no task table; no warnings, no link
    expect(lines.slice(15)).toEqual(["", "seed 7, 500 bootstrap resamples"]);
  });

  it("names a question-level percentile bootstrap, shows no p without one, and no task table when nothing is shared", () => {
    const summary = markdownSummary(
      report({
        ci_bootstrap: { method: "percentile-fallback", level: "question", lo: -0.01, hi: 0.03 },
        p_value: null,
        n_shared: 0,
        per_task: [row("a", null), row("b", null)],
      }),
      candidate,
      baseline,
    );
    expect(summary).toContain("\n| 95% CI, paired bootstrap percentile | [-1.0, 3.0] |\n");
    expect(summary).toContain("\n| p (–) | – |\n");
    expect(summary).not.toContain("| task |");
  });
});
