/**
 * Golden test (spec 11): reads the golden file named by STATS_GOLDEN (default
 * ../shared/stats-golden.json; relative paths resolve against the repo root) and checks every
 * expected field of every dataset, the exact_replay blocks and the PRNG conformance vectors.
 * Monte Carlo fields are checked for both the reference and the fast resampling paths.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { checkDataset, checkExactReplay, checkGlobals, type CheckRecord } from "./testing/golden-check";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const goldenPath = resolve(repoRoot, process.env.STATS_GOLDEN ?? "../shared/stats-golden.json");
const golden = JSON.parse(readFileSync(goldenPath, "utf8"));
const all: CheckRecord[] = [];

function expectAllPass(records: CheckRecord[]) {
  all.push(...records);
  const failures = records.filter((r) => !r.ok).map((r) => `${r.dataset} ${r.path} [${r.rule}]: ${r.message}`);
  expect(failures).toEqual([]);
}

describe(`golden file ${goldenPath}`, () => {
  it("has datasets", () => {
    expect(Array.isArray(golden.datasets) && golden.datasets.length > 0).toBe(true);
  });

  it("conventions and mulberry32 conformance vectors", () => {
    const r = checkGlobals(golden);
    expect(r.length).toBeGreaterThan(0);
    expectAllPass(r);
  });

  for (const ds of golden.datasets ?? []) {
    describe(`dataset ${ds.id}`, () => {
      it("every expected field (auto path)", () => {
        const r = checkDataset(golden, ds, { path: "auto" });
        expect(r.length).toBeGreaterThan(0);
        expectAllPass(r);
      });
      it("every expected field (reference resampling path)", () => {
        expectAllPass(checkDataset(golden, ds, { path: "reference" }));
      });
      it("every expected field (fast resampling path)", () => {
        expectAllPass(checkDataset(golden, ds, { path: "fast" }));
      });
      it("every expected field (another seed)", () => {
        expectAllPass(checkDataset(golden, ds, { path: "auto", seed: 987654321 }));
      });
      if (ds.exact_replay) {
        it("exact replay (spec 7.3)", () => {
          const r = checkExactReplay(golden, ds);
          expect(r.length).toBeGreaterThan(0);
          expectAllPass(r);
        });
      }
    });
  }

  afterAll(() => {
    const byRule = new Map<string, number>();
    for (const r of all) byRule.set(r.rule, (byRule.get(r.rule) ?? 0) + 1);
    const failed = all.filter((r) => !r.ok).length;
    console.log(
      `[golden] ${golden.datasets?.length ?? 0} datasets, ${all.length} field checks, ${failed} failed; by rule: ` +
        JSON.stringify(Object.fromEntries(byRule))
    );
  });
});
