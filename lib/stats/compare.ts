/**
 * Top-level entry points composing the sections of the spec: `comparePaired` (3, 5, 6 on Q) and
 * `compareRuns` (both run summaries, paired and unpaired in one call, validating input once).
 */
import { alignRuns, cleanPair, type Alignment } from "./align";
import { clusterBootstrap, pairedBootstrap, pairedBootstrapWarnings, type BootstrapResult } from "./bootstrap";
import { mcnemar, type McNemarResult } from "./mcnemar";
import { summarizeClean, type RunSummary } from "./one-run";
import { pairedAnalytic, type PairedAnalytic } from "./paired";
import { signFlipTest, type SignFlipResult } from "./sign-flip";
import { resolveOptions, type ResolvedOptions, type RunScores, type StatsOptions } from "./types";
import { unpairedFromSummaries, type UnpairedComparison } from "./unpaired";
import { Warnings, type WarningCode } from "./warnings";

export interface PairedComparison extends PairedAnalytic {
  /** Exact McNemar + chi-square forms; null unless both runs are 0/1 on Q (NOT_BINARY). */
  mcnemar: McNemarResult | null;
  /** The primary paired p-value (spec 5.3); null when n = 0. */
  signFlip: SignFlipResult | null;
  /** Question-level bootstrap (spec 6.1-6.3); null when n < 2, disabled, or not shown (option shownBootstrapOnly). */
  bootstrap: BootstrapResult | null;
  /** Cluster bootstrap (spec 6.4); null without clusters, G < 2, or disabled. Headline when present. */
  clusterBootstrap: BootstrapResult | null;
  /** Every warning of the paired analysis, tests and bootstraps. */
  warnings: WarningCode[];
}

export interface RunsComparison {
  runA: RunSummary;
  runB: RunSummary;
  paired: PairedComparison;
  unpaired: UnpairedComparison;
  warnings: WarningCode[];
}

/** Paired analysis on an alignment (spec 3, 5, 6). */
export function comparePairedAligned(al: Alignment, o: ResolvedOptions): PairedComparison {
  const analytic = pairedAnalytic(al, o.alpha, o.power, o.targetDeltas);
  const w = new Warnings();
  w.addAll(analytic.warnings);
  const { n, d } = al;
  const mc = mcnemar(al.a, al.b);
  if (n > 0 && mc === null) w.add("NOT_BINARY");
  const signFlip = n === 0 ? null : signFlipTest(d, { B: o.signFlipB, seed: o.seed, path: o.path });
  if (signFlip) w.addAll(signFlip.warnings);
  const bopts = { B: o.B, seed: o.seed, alpha: o.alpha, path: o.path };
  const cb = o.bootstrap && al.clusters !== null ? clusterBootstrap(d, al.clusters, bopts) : null;
  const warningsOnly = o.shownBootstrapOnly && cb !== null;
  const bootstrap = o.bootstrap && !warningsOnly ? pairedBootstrap(d, bopts) : null;
  if (bootstrap) w.addAll(bootstrap.warnings);
  if (warningsOnly) w.addAll(pairedBootstrapWarnings(d, bopts));
  if (cb) w.addAll(cb.warnings);
  return { ...analytic, mcnemar: mc, signFlip, bootstrap, clusterBootstrap: cb, warnings: w.list() };
}

/**
 * Paired comparison of candidate A against baseline B (d = A - B) on the questions scored in both
 * (spec 3): means, Delta, SE, analytic CI, r, MDE, questions needed, McNemar, sign-flip p,
 * bootstrap percentile + BCa, clustered variants, warnings. Throws StatsInputError on bad input.
 */
export function comparePaired(a: RunScores, b: RunScores, options: StatsOptions = {}): PairedComparison {
  const o = resolveOptions(options);
  return comparePairedAligned(alignRuns(...cleanPair(a, b)), o);
}

/** Everything at once: both run summaries (2), paired (3, 5, 6) and unpaired (4). */
export function compareRuns(a: RunScores, b: RunScores, options: StatsOptions = {}): RunsComparison {
  const o = resolveOptions(options);
  const [A, B] = cleanPair(a, b);
  const runA = summarizeClean(A, o.alpha);
  const runB = summarizeClean(B, o.alpha);
  const paired = comparePairedAligned(alignRuns(A, B), o);
  const unpaired = unpairedFromSummaries(runA, runB, o.alpha, o.power);
  const w = new Warnings();
  w.addAll(paired.warnings);
  w.addAll(unpaired.warnings);
  return { runA, runB, paired, unpaired, warnings: w.list() };
}
