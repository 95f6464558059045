/**
 * lib/stats public API (shared/stats-spec.md v1). Pure TypeScript, no Node-only API: the same module
 * runs in Node (CLI) and in a browser Web Worker (compare page).
 */
export type { ScoreRecord, RunScores, StatsOptions, ComputePath, Interval } from "./types";
export { DEFAULTS, resolveOptions } from "./types";
export { WARNING_CODES, StatsInputError, type WarningCode, type InputErrorCode } from "./warnings";

export { compareRuns, comparePaired, type PairedComparison, type RunsComparison } from "./compare";
export { summarizeRun, wilsonInterval, type RunSummary, type ClusteredRunSummary } from "./one-run";
export { compareUnpaired, type UnpairedComparison, type UnpairedClustered } from "./unpaired";
export { powerAgainst, type NRequired, type PairedClustered } from "./paired";
export { holm, holmByKey } from "./holm";

export { mcnemar, mcnemarFromCounts, type McNemarResult } from "./mcnemar";
export { signFlipTest, chooseSignFlipPath, SIGN_FLIP_FAST_THRESHOLD, type SignFlipResult, type SignFlipMethod } from "./sign-flip";
export {
  pairedBootstrap,
  clusterBootstrap,
  chooseBootstrapPath,
  questionBootstrapReplicates,
  clusterBootstrapReplicates,
  BOOTSTRAP_FAST_THRESHOLD,
  FAST_MAX_DISTINCT,
  BINNED_BINS,
  BINNED_MIN_N,
  type Resampler,
  type BootstrapResult,
  type BootstrapOptions,
} from "./bootstrap";
export { buildClusterIndex, clusterSums, type ClusterIndex } from "./cluster";
export { binomialTwoSidedHalfP } from "./binomial";

export { mulberry32, mulberry32Uint32 } from "./rng";
export { quantile7, quantileSorted7 } from "./quantile";
export { Z975, Z80, erfc, normalCdf, normalQuantile, twoSidedNormalP, chiSquare1Tail, mdeFactor } from "./normal";
export { kendallTau, type KendallResult } from "./kendall";
export { populationSd, relativeNoise, relativeSignal, signalToNoise } from "./signal-noise";
