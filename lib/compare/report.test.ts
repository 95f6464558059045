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
    expect(report).toMatchObject({ n_shared: 50, n_only_a: 1, n_only_b: 1, n_mismatched: 1, n_unscored: 1 });
    expect(report.delta).toBeCloseTo(5 / 50, 12);
    expect(report.mcnemar).toMatchObject({ b: 5, c: 0 });
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
    expect(report.mean_a).toBeCloseTo((0.5 + 1 + 0) / 3, 12);
    expect(report.mcnemar).toBeNull(); // A's 0.5 is not a 0/1 score
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
    expect(report.unpaired).toMatchObject({ n_a: 40, n_b: 30 });
    expect(report.verdict.text).toMatch(/^no shared questions: unpaired difference 16\.7 points .*\(n A = 40, n B = 30\)/);
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
    expect(verdict(base, 100)).toMatchObject({ direction: "better", text: expect.stringMatching(/^A is better by 15\.0 points \[\d+\.\d, \d+\.\d\]$/) });
    const flipped = compareReport(rows(200, 30).map((r) => ({ ...r, score_a: r.score_b, score_b: r.score_a })), {}, fast);
    expect(flipped.verdict.direction).toBe("worse");
    const none = compareReport(rows(200, 1), {}, fast);
    expect(none.verdict.text).toMatch(/^no difference detectable; this comparison can detect \d+\.\d points$/);
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
