import { describe, expect, it } from "vitest";
import { compareReport, reportSteps, verdict, type EffectReport } from "./report";
import type { AlignedRow, Pairing } from "./sql";

function row(task: string, id: string, a: number | null, b: number | null, pairing: Pairing = "shared", extra: Partial<AlignedRow> = {}): AlignedRow {
  return { task, subtask: null, instance_id: id, sample: 0, cluster_a: null, cluster_b: null, score_a: a, score_b: b, pairing, ...extra };
}

/** n questions where A is right on `aOnly` more of them than B. */
function rows(n: number, aOnly: number, task = "t"): AlignedRow[] {
  return Array.from({ length: n }, (_, i) => row(task, `q${i}`, i < aOnly ? 1 : i % 2, i < aOnly ? 0 : i % 2));
}

const fast = { seed: 7, B: 2000, alpha: 0.05 };

describe("compareReport", () => {
  it("pairs shared questions and counts the rest without pairing them", () => {
    const report = compareReport(
      [
        ...rows(50, 5),
        row("t", "only-a", 1, null, "only_a"),
        row("t", "only-b", null, 0, "only_b"),
        row("t", "changed", 1, 0, "mismatch"),
        row("t", "errored", null, 1),
      ],
      {},
      fast,
    );
    expect(report).toMatchObject({ n_shared: 50, n_only_candidate: 1, n_only_baseline: 1, n_mismatched: 1, n_unscored: 1 });
    expect(report.delta).toBeCloseTo(5 / 50, 12);
    expect(report.mcnemar).toMatchObject({ only_candidate_right: 5, only_baseline_right: 0 });
    expect(report.p_value?.method).toBe("mcnemar_exact");
    expect(report.p_value?.value).toBeCloseTo(2 / 32, 12);
  });

  it("averages a question's samples before pairing", () => {
    const report = compareReport(
      [row("t", "q1", 1, 0, "shared", { sample: 0 }), row("t", "q1", 0, 0, "shared", { sample: 1 }), row("t", "q2", 1, 1), row("t", "q3", 0, 1)],
      {},
      fast,
    );
    expect(report.n_shared).toBe(3);
    expect(report.mean_candidate).toBeCloseTo((0.5 + 1 + 0) / 3, 12);
    expect(report.mcnemar).toBeNull(); // the candidate's 0.5 is not a 0/1 score
    expect(report.p_value?.method).toBe("sign_flip_exact");
  });

  it("reports tasks and subtasks with Holm-adjusted p-values, and scopes to one", () => {
    const mixed = [...rows(60, 20, "easy"), ...rows(60, 1, "hard").map((r) => ({ ...r, subtask: r.instance_id < "q3" ? "s1" : "s2" }))];
    const report = compareReport(mixed, {}, fast);
    const easy = report.per_task.find((r) => r.task === "easy" && r.subtask === null);
    expect(easy?.p_holm).toBeCloseTo(Math.min(1, 2 * (easy?.p_value?.value ?? NaN)), 12);
    expect(report.per_task.filter((r) => r.subtask !== null).map((r) => r.subtask)).toEqual(["s1", "s2"]);

    const scoped = compareReport(mixed, { task: "easy" }, fast);
    expect(scoped.n_shared).toBe(60);
    expect(scoped.delta).toBeCloseTo(20 / 60, 12);
  });

  it("falls back to the unpaired comparison when no question is shared", () => {
    const report = compareReport(
      [...Array.from({ length: 40 }, (_, i) => row("t", `a${i}`, i % 2, null, "only_a")), ...Array.from({ length: 30 }, (_, i) => row("t", `b${i}`, null, i % 3 === 0 ? 1 : 0, "only_b"))],
      {},
      fast,
    );
    expect(report.n_shared).toBe(0);
    expect(report.unpaired).toMatchObject({ n_candidate: 40, n_baseline: 30 });
    expect(report.verdict.text).toMatch(/^no shared questions: unpaired difference \(candidate − baseline\) 16\.7 points, 95% CI \[.*\] \(n candidate = 40, n baseline = 30\)$/);
    expect(report.pairing.nothing_pairs).toMatchObject({ reason: "different_ids", text: expect.stringContaining("share the task t but no question id") });
  });

  it("uses the cluster bootstrap as the headline when questions carry clusters", () => {
    const clustered = rows(80, 10).map((r, i) => ({ ...r, cluster_a: `c${i % 20}`, cluster_b: `c${i % 20}` }));
    const report = compareReport(clustered, {}, fast);
    expect(report.ci_bootstrap?.level).toBe("cluster");
    expect(report.clustered?.n_clusters).toBe(20);
  });

  it("is the same whatever order the rows come in", () => {
    const input = rows(70, 9);
    const shuffled = [...input].reverse();
    expect(compareReport(shuffled, {}, fast)).toEqual(compareReport(input, {}, fast));
  });
});

describe("verdict", () => {
  const base = compareReport(rows(200, 30), {}, fast);
  it("says better, worse or not detectable from the headline interval", () => {
    expect(verdict(base, 100)).toMatchObject({ direction: "better", text: expect.stringMatching(/^candidate is better by 15\.0 points, 95% CI \[\d+\.\d, \d+\.\d\]$/) });
    expect(verdict(base, 100, 0.1).text).toMatch(/, 90% CI \[/);
    const flipped = compareReport(rows(200, 30).map((r) => ({ ...r, score_a: r.score_b, score_b: r.score_a })), {}, fast);
    expect(flipped.verdict).toMatchObject({ direction: "worse", text: expect.stringMatching(/^candidate is worse by 15\.0 points, 95% CI \[-\d+\.\d, -\d+\.\d\]$/) });
    expect(flipped.delta).toBeCloseTo(-base.delta!, 12);
    const none = compareReport(rows(200, 1), {}, fast);
    expect(none.verdict.text).toMatch(/^no difference detectable; this comparison can detect \d+\.\d points$/);
  });
});

describe("pairing in the report", () => {
  it("shows no number for runs of different tasks, and says why", () => {
    const report = compareReport([row("gsm8k", "g1", 1, null, "only_a"), row("gsm8k", "g2", 0, null, "only_a"), row("mmlu", "m1", null, 1, "only_b"), row("mmlu", "m2", null, 0, "only_b")], {}, fast);
    expect(report.unpaired).toBeNull();
    expect(report.verdict).toEqual({ direction: "unknown", text: "nothing to compare: the runs hold different tasks (candidate: gsm8k; baseline: mmlu) and no question id in common: pick two runs of the same task" });
  });

  it("names changed hashes when every common question changed", () => {
    const report = compareReport([row("t", "q1", 1, 0, "mismatch"), row("t", "q2", 1, 1, "mismatch"), row("t", "q3", 1, null, "only_a")], {}, fast);
    expect(report.pairing.nothing_pairs?.reason).toBe("changed_hashes");
    expect(report.unpaired).toBeNull();
    expect(report.verdict.text).toMatch(/^nothing to compare: every question in both runs changed between them \(2 records whose instance hashes differ\)/);
  });

  it("names unscored questions when the shared ones are unscored in one run", () => {
    const report = compareReport([row("t", "q1", null, 1), row("t", "q2", 1, null)], {}, fast);
    expect(report.pairing.nothing_pairs).toMatchObject({ reason: "unscored", text: expect.stringMatching(/^the 2 records in both runs are unscored/) });
  });

  it("carries the pairing across task names, and has nothing to explain when questions pair", () => {
    const across = { candidate_task: "new", baseline_task: "old" };
    const report = compareReport(rows(40, 5, "new"), {}, fast, "final", across);
    expect(report.pairing).toEqual({ across_tasks: across, nothing_pairs: null });
  });
});

describe("compareReport, analytic stage", () => {
  it("gives the final report's figures but the bootstraps, first and fast", () => {
    const data = [...rows(80, 9, "easy"), ...rows(40, 2, "hard").map((r) => ({ ...r, subtask: r.instance_id < "q2" ? "s1" : "s2", cluster_a: `c${r.instance_id.length}`, cluster_b: `c${r.instance_id.length}` }))];
    const final = compareReport(data, {}, fast);
    const analytic = compareReport(data, {}, fast, "analytic");
    // what only the bootstraps give: their interval, their warnings, and the verdict that quotes it
    const withoutBootstrap = (r: EffectReport) => ({ ...r, ci_bootstrap: null, warnings: null, verdict: null, per_task: null });
    expect(final.ci_bootstrap).not.toBeNull();
    expect(analytic.ci_bootstrap).toBeNull();
    expect(withoutBootstrap(analytic)).toEqual(withoutBootstrap(final));
    expect(analytic.per_task.map(withoutBootstrap)).toEqual(final.per_task.map(withoutBootstrap));
    expect(analytic.per_task.every((r) => r.ci_bootstrap === null)).toBe(true);
  });
});

describe("compareReport, figure by figure", () => {
  it("maps every paired figure of lib/stats into the report", () => {
    // 40 shared questions: 12 right in both, 10 only in the candidate, 3 only in the baseline, 15 wrong in both
    const kinds = [...Array(12).fill([1, 1]), ...Array(10).fill([1, 0]), ...Array(3).fill([0, 1]), ...Array(15).fill([0, 0])] as [number, number][];
    const report = compareReport([...kinds.map(([a, b], i) => row("t", `q${String(i).padStart(2, "0")}`, a, b)), row("t", "x1", null, null), row("t", "x2", 1, null)], {}, fast);
    expect(report).toMatchObject({ n_shared: 40, n_only_candidate: 0, n_only_baseline: 0, n_mismatched: 0, n_unscored: 2, mean_candidate: 22 / 40, mean_baseline: 15 / 40, unpaired: null });
    expect(report.delta).toBeCloseTo(7 / 40, 12);
    expect(report.mcnemar).toEqual({ both_right: 12, only_candidate_right: 10, only_baseline_right: 3, both_wrong: 15, p_exact: report.p_value!.value });
    // d has 13 nonzero values: exact McNemar, two-sided binomial tail of 3 of 13
    expect(report.p_value!.value).toBeCloseTo((2 * (1 + 13 + 78 + 286)) / 8192, 12);
    const sd = Math.sqrt((13 - 40 * (7 / 40) ** 2) / 39);
    expect(report.se_paired).toBeCloseTo(sd / Math.sqrt(40), 12);
    expect(report.ci_analytic![0]).toBeCloseTo(7 / 40 - 1.959963984540054 * report.se_paired!, 12);
    expect(report.mde).toBeCloseTo(2.8015852220053146 * report.se_paired!, 9);
    expect(report.p_normal).toBeGreaterThan(0);
    expect(report.r).toBeGreaterThan(0);
    expect(report.ci_bootstrap).toMatchObject({ level: "question", method: "bca" });
    expect(report.clustered).toBeNull();
  });

  it("gives the Monte Carlo sign-flip p for scores that are not 0/1, and the clustered figures with clusters", () => {
    const continuous = Array.from({ length: 30 }, (_, i) => row("t", `q${String(i).padStart(2, "0")}`, 0.5 + ((i * 7) % 10) / 20, 0.5 + ((i * 3) % 10) / 25, "shared", { cluster_a: `c${i % 6}`, cluster_b: `c${i % 6}` }));
    const report = compareReport(continuous, {}, fast);
    expect(report.mcnemar).toBeNull();
    expect(report.p_value?.method).toBe("sign_flip_monte_carlo");
    expect(report.clustered).toMatchObject({ n_clusters: 6 });
    expect(report.clustered!.se).toBeGreaterThan(0);
    expect(report.clustered!.ci_analytic![0]).toBeLessThan(report.clustered!.ci_analytic![1]);
    expect(report.clustered!.mde).toBeCloseTo(2.8015852220053146 * report.clustered!.se!, 9);
    expect(report.clustered!.design_effect).toBeCloseTo((report.clustered!.se! / report.se_paired!) ** 2, 12);
    expect(report.ci_bootstrap?.level).toBe("cluster");
    expect(report.warnings).toContain("FEW_CLUSTERS");
  });

  it("orders tasks and subtasks by name whatever order the rows come in, and leaves rows without a subtask out of the subtask rows", () => {
    const data = [...rows(30, 3, "zeta").map((r) => ({ ...r, subtask: r.instance_id < "q2" ? "y" : "x" })), ...rows(30, 3, "alpha"), ...rows(30, 3, "mid").map((r) => ({ ...r, subtask: r.instance_id < "q2" ? null : "only" }))];
    const report = compareReport(data, {}, fast);
    expect(report.per_task.map((r) => `${r.task}/${r.subtask}`)).toEqual(["alpha/null", "mid/null", "zeta/null", "mid/only", "zeta/x", "zeta/y"]);
    expect(report.per_task.find((r) => r.subtask === "only")!.n_shared).toBe(30 - 12);
    // Holm within each level: three tasks, then three subtasks
    const tasks = report.per_task.slice(0, 3);
    // each task's own figures, not the headline's
    expect(tasks.map((r) => r.n_shared)).toEqual([30, 30, 30]);
    expect(report.n_shared).toBe(90);
    const smallest = Math.min(...tasks.map((r) => r.p_value!.value));
    expect(Math.min(...tasks.map((r) => r.p_holm!))).toBeCloseTo(Math.min(1, 3 * smallest), 12);
  });

  it("scales to points only when every score lies in [0, 1]", () => {
    expect(compareReport(rows(30, 5), {}, fast).scale).toBe(100);
    const wide = compareReport([...rows(30, 5), row("t", "big", 3, 2)], {}, fast);
    expect(wide.scale).toBe(1);
    expect(compareReport([...rows(30, 5), row("t", "neg", -0.5, 0)], {}, fast).scale).toBe(1);
    // either side out of [0, 1] is enough, above or below
    expect(compareReport([...rows(30, 5), row("t", "big-a", 3, 1)], {}, fast).scale).toBe(1);
    expect(compareReport([...rows(30, 5), row("t", "big-b", 0, 2)], {}, fast).scale).toBe(1);
    expect(compareReport([...rows(30, 5), row("t", "neg-b", 1, -1)], {}, fast).scale).toBe(1);
    // unscored sides do not count
    expect(compareReport([...rows(30, 5), row("t", "none", null, 1)], {}, fast).scale).toBe(100);
    const report = compareReport(rows(200, 30).map((r) => ({ ...r, score_a: r.score_a! * 4, score_b: r.score_b! * 4 })), {}, fast);
    expect(report.verdict.text).toMatch(/^candidate is better by 0\.600 \(score units\), 95% CI \[\d\.\d{3}, \d\.\d{3}\]$/);
  });

  it("keeps a one-task comparison's task row equal to its headline, also when nothing pairs", () => {
    const changed = compareReport([row("t", "q1", 1, 0, "mismatch"), row("t", "q2", 1, null, "only_a"), row("t", "q3", null, 0, "only_b")], {}, fast);
    expect(changed.per_task).toHaveLength(1);
    expect(changed.per_task[0].unpaired).toBeNull();
    const { per_task, settings, scope, scale, verdict, pairing, ...headline } = changed;
    expect({ ...per_task[0], task: undefined, subtask: undefined, p_holm: undefined }).toEqual({ ...headline, task: undefined, subtask: undefined, p_holm: undefined });
    expect([settings, scope, scale, verdict.direction, pairing.nothing_pairs?.reason]).toEqual([fast, {}, 100, "unknown", "changed_hashes"]);
  });

  it("yields the headline first, then once before each further effect", () => {
    const data = [...rows(30, 3, "a").map((r) => ({ ...r, subtask: "s" })), ...rows(30, 3, "b")];
    const steps = reportSteps(data, {}, fast, "analytic");
    const first = steps.next();
    expect(first.value).toMatchObject({ n_shared: 60, per_task: [] });
    let pauses = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) {
      expect(step.value).toBeUndefined();
      pauses++;
    }
    // two task rows (one pause each), one subtask row
    expect(pauses).toBe(3);
    expect(step.value.per_task).toHaveLength(3);
    // one task: its row is the headline, computed without a pause; one pause per subtask
    const single = [...reportSteps(rows(30, 3, "a").map((r) => ({ ...r, subtask: r.instance_id < "q2" ? "s1" : "s2" })), {}, fast, "analytic")];
    expect(single.slice(1)).toEqual([undefined, undefined]);
  });
});

describe("verdict, every case", () => {
  const effect = compareReport(rows(200, 30), {}, fast);
  it("says why there is nothing to say", () => {
    expect(verdict({ ...effect, delta: null }, 100)).toEqual({ direction: "unknown", text: "too few shared questions (200) to say" });
    // one shared question: a difference but no interval
    expect(verdict({ ...effect, n_shared: 1, delta: 1, ci_bootstrap: null, ci_analytic: null }, 100).text).toBe("too few shared questions (1) to say");
    expect(verdict({ ...effect, n_shared: 0, unpaired: null }, 100).text).toBe("no shared questions, and too few scored questions to compare");
    // one scored question a side: a difference but no interval
    const single = { n_candidate: 1, n_baseline: 1, delta: 0.1, se: null, ci: null, p_normal: null, mde: null };
    expect(verdict({ ...effect, n_shared: 0, unpaired: single }, 100)).toEqual({ direction: "unknown", text: "no shared questions, and too few scored questions to compare" });
    expect(verdict({ ...effect, ci_bootstrap: null, ci_analytic: [-0.01, 0.02], mde: null, clustered: null }, 100)).toEqual({ direction: "none", text: "no difference detectable" });
    // the clustered MDE comes first when there is one
    const clustered = { ...effect, ci_bootstrap: null, ci_analytic: [-0.01, 0.02] as [number, number], mde: 0.01, clustered: { n_clusters: 5, se: 0.02, ci_analytic: null, mde: 0.05, design_effect: 4 } };
    expect(verdict(clustered, 100).text).toBe("no difference detectable; this comparison can detect 5.0 points");
  });
  it("reads the unpaired interval when nothing is shared", () => {
    const unpaired = (ci: [number, number]) => ({ ...effect, n_shared: 0, unpaired: { n_candidate: 50, n_baseline: 40, delta: 0.1, se: 0.03, ci, p_normal: 0.001, mde: 0.08 } });
    expect(verdict(unpaired([0.04, 0.16]), 100)).toEqual({ direction: "better", text: "no shared questions: unpaired difference (candidate − baseline) 10.0 points, 95% CI [4.0, 16.0] (n candidate = 50, n baseline = 40)" });
    expect(verdict(unpaired([-0.16, -0.04]), 1).direction).toBe("worse");
    expect(verdict(unpaired([-0.01, 0.2]), 1, 0.1).text).toBe("no shared questions: unpaired difference (candidate − baseline) 0.100 (score units), 90% CI [-0.010, 0.200] (n candidate = 50, n baseline = 40)");
    expect(verdict(unpaired([-0.01, 0.2]), 1, 0.1).direction).toBe("none");
    // an interval that touches zero is not a difference
    expect(verdict(unpaired([0, 0.2]), 100).direction).toBe("none");
    expect(verdict(unpaired([-0.2, 0]), 100).direction).toBe("none");
  });
  it("uses the bootstrap interval when there is one, else the analytic one", () => {
    expect(verdict({ ...effect, ci_bootstrap: { method: "bca", level: "question", lo: -0.01, hi: 0.3 }, ci_analytic: [0.1, 0.2] }, 100).direction).toBe("none");
    expect(verdict({ ...effect, ci_bootstrap: null, ci_analytic: [0.1, 0.2] }, 100).text).toBe("candidate is better by 15.0 points, 95% CI [10.0, 20.0]");
    expect(verdict({ ...effect, delta: -0.15, ci_bootstrap: null, ci_analytic: [-0.2, -0.1] }, 1).text).toBe("candidate is worse by 0.150 (score units), 95% CI [-0.200, -0.100]");
    // an interval that touches zero is not a difference
    expect(verdict({ ...effect, ci_bootstrap: null, ci_analytic: [0, 0.2] }, 100).direction).toBe("none");
    expect(verdict({ ...effect, ci_bootstrap: null, ci_analytic: [-0.2, 0] }, 100).direction).toBe("none");
    const nothing = { reason: "different_ids" as const, text: "x" };
    // different ids leave the unpaired difference to show
    expect(verdict({ ...effect, ci_bootstrap: null, ci_analytic: [0.1, 0.2] }, 100, 0.05, nothing).direction).toBe("better");
  });
});
