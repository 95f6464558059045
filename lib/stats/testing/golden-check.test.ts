/**
 * The golden checker must fail loudly: perturbed values, out-of-band Monte Carlo results, unknown
 * fields and broken replays are all reported (nothing is silently skipped).
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { checkDataset, checkExactReplay } from "./golden-check";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const golden = JSON.parse(readFileSync(resolve(repoRoot, process.env.STATS_GOLDEN ?? "../shared/stats-golden.json"), "utf8"));
const withClusters = golden.datasets.find((d: any) => d.expected?.paired?.clustered?.se_clustered != null); // eslint-disable-line @typescript-eslint/no-explicit-any
const withReplay = golden.datasets.find((d: any) => d.exact_replay?.bootstrap_paired); // eslint-disable-line @typescript-eslint/no-explicit-any

it("reports perturbed, out-of-band, wrongly-null and unknown fields", () => {
  const ds = structuredClone(withClusters);
  ds.expected.paired.clustered.se_clustered *= 1 + 1e-7;
  ds.expected.bootstrap_paired.bca_ci.band_lo = [1e6, 2e6];
  ds.expected.sign_flip.brand_new_field = 3;
  ds.expected.run_a.mean = null;
  const failed = checkDataset(golden, ds)
    .filter((r) => !r.ok)
    .map((r) => r.path.replace(/^expected\[path=auto\]\./, ""));
  expect(failed.sort()).toEqual(["bootstrap_paired.bca_ci.band_lo", "paired.clustered.se_clustered", "run_a.mean", "sign_flip.brand_new_field"]);
});

it("reports a replay mismatch and unknown replay fields", () => {
  const ds = structuredClone(withReplay);
  ds.exact_replay.bootstrap_paired.first_replicates[0] += 1e-9;
  ds.exact_replay.bootstrap_paired.mystery = 1;
  const failed = checkExactReplay(golden, ds)
    .filter((r) => !r.ok)
    .map((r) => r.path);
  expect(failed.sort()).toEqual(["exact_replay.bootstrap_paired.first_replicates", "exact_replay.bootstrap_paired.mystery"]);
});
