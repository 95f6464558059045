import { describe, expect, it } from "vitest";
import { compareReport, verdict, type EffectReport } from "./report";
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
