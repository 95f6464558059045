// Apart from report.ts so that the CLI's help can show the defaults without loading the statistics.

/** Settings a comparison is computed with; all of them travel in a share link. */
export interface CompareSettings {
  seed: number;
  /** Bootstrap and sign-flip Monte Carlo replicates. */
  B: number;
  alpha: number;
}

export const DEFAULT_SETTINGS: CompareSettings = { seed: 2024, B: 10000, alpha: 0.05 };
