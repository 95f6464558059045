import { describe, expect, it } from "vitest";
import { summarizeRun } from "./index";
import { mulberry32 } from "./rng";

const run = (scores: (number | null)[], clusters?: string[]) =>
  scores.map((score, i) => ({ questionId: `q${String(i).padStart(4, "0")}`, score, ...(clusters ? { clusterId: clusters[i] } : {}) }));

describe("one run (spec 2)", () => {
  it("SE_cl == SE exactly with one question per cluster", () => {
    const r = mulberry32(3);
    for (const n of [2, 3, 10, 57, 400]) {
      const scores = Array.from({ length: n }, () => r() * 3 - 1);
      const s = summarizeRun(run(scores, scores.map((_, i) => `c${(i * 7919) % n}`)));
      expect(s.clustered!.nClusters).toBe(n);
      expect(s.clustered!.se).toBe(s.se);
      expect(s.clustered!.designEffect).toBe(1);
    }
  });
  it("0/1 scores use the n-1 form sqrt(p(1-p)/(n-1)), never the Bernoulli SE", () => {
    const s = summarizeRun(run([1, 1, 1, 0, 0, 1, 0, 1, 1, 1]));
    expect(s.se).toBeCloseTo(Math.sqrt((0.7 * 0.3) / 9), 14);
    expect(s.isBinary).toBe(true);
    expect(s.wilson).not.toBeNull();
  });
  it("n = 0 and n = 1 give nulls and warnings, never zeros", () => {
    const e = summarizeRun([]);
    expect([e.mean, e.sd, e.se, e.ci, e.wilson]).toEqual([null, null, null, null, null]);
    expect(e.warnings).toContain("EMPTY");
    const one = summarizeRun(run([0.3]));
    expect(one.mean).toBe(0.3);
    expect([one.sd, one.se, one.ci]).toEqual([null, null, null]);
    expect(one.warnings).toEqual(expect.arrayContaining(["N_LT_2", "SMALL_N"]));
  });
  it("all-ones run: SE 0, CI collapses, Wilson stays informative", () => {
    const s = summarizeRun(run(Array(40).fill(1)));
    expect(s.se).toBe(0);
    expect(s.ci).toEqual([1, 1]);
    expect(s.warnings).toContain("ZERO_VARIANCE");
    expect(s.wilson![0]).toBeLessThan(1);
    expect(s.wilson![1]).toBeCloseTo(1, 12);
  });
  it("one cluster: clustered SE undefined (ONE_CLUSTER); few clusters warn", () => {
    const s = summarizeRun(run([1, 0, 1, 1], ["g", "g", "g", "g"]));
    expect(s.clustered!.se).toBeNull();
    expect(s.warnings).toContain("ONE_CLUSTER");
    const f = summarizeRun(run([1, 0, 1, 1], ["g", "h", "g", "h"]));
    expect(f.clustered!.se).not.toBeNull();
    expect(f.warnings).toContain("FEW_CLUSTERS");
  });
  it("unscored values (null, NaN, Infinity) are dropped and counted", () => {
    const s = summarizeRun(run([1, null, NaN, Infinity, 0]));
    expect(s.n).toBe(2);
    expect(s.nUnscored).toBe(3);
  });
});
