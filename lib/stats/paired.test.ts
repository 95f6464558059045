import { describe, expect, it } from "vitest";
import { comparePaired, compareRuns, compareUnpaired, mulberry32 } from "./index";

const ids = (n: number) => Array.from({ length: n }, (_, i) => `q${String(i).padStart(5, "0")}`);
function runs(n: number, seed: number, binary = false) {
  const r = mulberry32(seed);
  const a = ids(n).map((questionId, i) => ({ questionId, score: binary ? +(r() < 0.7) : r(), clusterId: `c${i % 9}` }));
  const b = ids(n).map((questionId, i) => ({ questionId, score: binary ? +(r() < 0.6) : r() * 0.5 + a[i].score * 0.5, clusterId: `c${i % 9}` }));
  return { a, b };
}

function shuffle<T>(xs: T[], seed: number): T[] {
  const r = mulberry32(seed);
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe("paired comparison (spec 3)", () => {
  it("input order does not change any result, bootstraps included", () => {
    const { a, b } = runs(300, 1);
    const opts = { B: 1000, signFlipB: 1000 };
    expect(compareRuns(shuffle(a, 2), shuffle(b, 3), opts)).toEqual(compareRuns(a, b, opts));
  });
  it("variance identity SE_p^2 = SE_A^2 + SE_B^2 - 2 SE_A SE_B r on Q", () => {
    const { a, b } = runs(500, 4);
    const p = comparePaired(a, b, { bootstrap: false });
    const v = p.seA! ** 2 + p.seB! ** 2 - 2 * p.seA! * p.seB! * p.correlation!;
    expect(p.se! ** 2).toBeCloseTo(v, 15);
    expect(p.delta).toBeCloseTo(p.meanA! - p.meanB!, 15);
  });
  it("MDE = M * SE_p and n_required = ceil(M^2 s_d^2 / delta^2 - 1e-9)", () => {
    const { a, b } = runs(200, 5, true);
    const p = comparePaired(a, b, { bootstrap: false, targetDeltas: [0.02] });
    const M = 2.8015852181129683;
    expect(p.mde).toBe(M * p.se!);
    expect(p.nRequired![0].raw).toBeCloseTo((M * M * p.sdDiff! ** 2) / 0.0004, 6);
    expect(p.nRequired![0].n).toBe(Math.ceil(p.nRequired![0].raw - 1e-9));
  });
  it("constant nonzero difference: SE 0, z null, p_normal null, sign-flip 2/2^n, bootstrap [Delta, Delta]", () => {
    const a = ids(12).map((questionId) => ({ questionId, score: 0.625 }));
    const b = ids(12).map((questionId) => ({ questionId, score: 0.5 }));
    const p = comparePaired(a, b, { B: 2000 });
    expect(p.se).toBe(0);
    expect(p.z).toBeNull();
    expect(p.pNormal).toBeNull();
    expect(p.correlation).toBeNull();
    expect(p.signFlip!.p).toBe(2 / 2 ** 12);
    expect(p.bootstrap!.percentileCi).toEqual([0.125, 0.125]);
    expect(p.bootstrap!.bcaCi).toEqual([0.125, 0.125]);
    expect(p.warnings).toContain("ZERO_VARIANCE");
  });
  it("no shared questions: NO_SHARED and nulls; unpaired still works", () => {
    const a = [{ questionId: "x1", score: 1 }, { questionId: "x2", score: 0 }];
    const b = [{ questionId: "y1", score: 1 }, { questionId: "y2", score: 1 }];
    const p = comparePaired(a, b);
    expect(p.nShared).toBe(0);
    expect([p.delta, p.se, p.signFlip, p.bootstrap, p.mcnemar]).toEqual([null, null, null, null, null]);
    expect(p.warnings).toContain("NO_SHARED");
    const u = compareUnpaired(a, b);
    expect(u.delta).toBe(-0.5);
    expect(u.se).toBeCloseTo(0.5, 15); // SE_A = sd([1, 0]) / sqrt 2, SE_B = 0
  });
  it("clustered variant: CR1 on d, MDE and n_required with the clustered SE", () => {
    const { a, b } = runs(270, 6, true);
    const p = comparePaired(a, b, { B: 1000 });
    const c = p.clustered!;
    expect(c.nClusters).toBe(9);
    expect(c.mde).toBe(2.8015852181129683 * c.se!);
    expect(c.designEffect).toBeCloseTo((c.se! / p.se!) ** 2, 14);
    expect(p.clusterBootstrap!.nUnits).toBe(9);
    expect(p.warnings).toContain("FEW_CLUSTERS");
  });
  it("non-binary scores: McNemar null with NOT_BINARY", () => {
    const { a, b } = runs(50, 7);
    const p = comparePaired(a, b, { B: 500 });
    expect(p.mcnemar).toBeNull();
    expect(p.warnings).toContain("NOT_BINARY");
  });
  it("shownBootstrapOnly leaves out the question-level replicates with clusters, and nothing else", () => {
    const scoresA = [1, 1, 0, 1, 0, 1, 1, 1, 0, 1, 1, 0];
    const scoresB = [0, 1, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0];
    const run = (scores: number[], clustered: boolean) => scores.map((score, i) => ({ questionId: `q${i}`, score, clusterId: clustered ? `c${i % 4}` : null }));
    for (const [B, seed] of [[1, 1], [2, 3], [200, 5], [10000, 2024]]) {
      const whole = compareRuns(run(scoresA, true), run(scoresB, true), { B, seed });
      const shown = compareRuns(run(scoresA, true), run(scoresB, true), { B, seed, shownBootstrapOnly: true });
      expect(shown).toEqual({ ...whole, paired: { ...whole.paired, bootstrap: null } });
      if (B <= 2) {
        // the warning comes from the question-level bootstrap alone, which is not built
        expect(whole.paired.bootstrap!.warnings).toContain("BCA_DEGENERATE");
        expect(whole.paired.clusterBootstrap!.warnings).not.toContain("BCA_DEGENERATE");
        expect(shown.warnings).toContain("BCA_DEGENERATE");
      }
    }
    // without clusters the question-level bootstrap is the one shown
    const plain = compareRuns(run(scoresA, false), run(scoresB, false), { B: 500, shownBootstrapOnly: true });
    expect(plain.paired.bootstrap).toEqual(compareRuns(run(scoresA, false), run(scoresB, false), { B: 500 }).paired.bootstrap);
  });
});
