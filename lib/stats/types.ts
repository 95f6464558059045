/** Public input/option types of lib/stats (spec 1.1, 1.2). */

/** One question of a run (spec 1.1). `score` null / NaN / ±Infinity means unscored. */
export interface ScoreRecord {
  questionId: string;
  score: number | null;
  clusterId?: string | null;
}

/** A run: a list of per-question scores, in any order (spec 1.1). */
export type RunScores = ReadonlyArray<ScoreRecord>;

/** Which implementation runs the resampling loops; see `choosePath` in bootstrap.ts / sign-flip.ts. */
export type ComputePath = "reference" | "fast" | "auto";

/** Options shared by every entry point; defaults per spec 1.2. */
export interface StatsOptions {
  /** Two-sided level; default 0.05 (95% intervals). */
  alpha?: number;
  /** Power for the MDE; default 0.8. */
  power?: number;
  /** Bootstrap replicates; default 10000. */
  B?: number;
  /** Sign-flip Monte Carlo replicates; default 10000. */
  signFlipB?: number;
  /** uint32 seed of mulberry32; default 2024. */
  seed?: number;
  /** Target deltas for "questions needed" (spec 3.5); default [0.01, 0.03, 0.05]. */
  targetDeltas?: readonly number[];
  /** Resampling implementation; default 'auto'. */
  path?: ComputePath;
  /** Set false to skip the bootstraps (they are the only slow part); default true. */
  bootstrap?: boolean;
  /**
   * When the cluster bootstrap runs, skip the question-level one's replicates (its interval is not
   * the one shown, spec 6.4): `paired.bootstrap` is null, its warnings are still given; default false.
   */
  shownBootstrapOnly?: boolean;
}

export interface ResolvedOptions {
  alpha: number;
  power: number;
  B: number;
  signFlipB: number;
  seed: number;
  targetDeltas: readonly number[];
  path: ComputePath;
  bootstrap: boolean;
  shownBootstrapOnly: boolean;
}

export const DEFAULTS: ResolvedOptions = {
  alpha: 0.05,
  power: 0.8,
  B: 10000,
  signFlipB: 10000,
  seed: 2024,
  targetDeltas: [0.01, 0.03, 0.05],
  path: "auto",
  bootstrap: true,
  shownBootstrapOnly: false,
};

/** Fills in defaults (spec 1.2) and checks ranges. */
export function resolveOptions(o: StatsOptions = {}): ResolvedOptions {
  const r: ResolvedOptions = {
    alpha: o.alpha ?? DEFAULTS.alpha,
    power: o.power ?? DEFAULTS.power,
    B: o.B ?? DEFAULTS.B,
    signFlipB: o.signFlipB ?? DEFAULTS.signFlipB,
    seed: (o.seed ?? DEFAULTS.seed) >>> 0,
    targetDeltas: o.targetDeltas ?? DEFAULTS.targetDeltas,
    path: o.path ?? DEFAULTS.path,
    bootstrap: o.bootstrap ?? DEFAULTS.bootstrap,
    shownBootstrapOnly: o.shownBootstrapOnly ?? DEFAULTS.shownBootstrapOnly,
  };
  if (!(r.alpha > 0 && r.alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${r.alpha}`);
  if (!(r.power > 0 && r.power < 1)) throw new RangeError(`power must be in (0, 1), got ${r.power}`);
  if (!Number.isInteger(r.B) || r.B < 1) throw new RangeError(`B must be a positive integer, got ${r.B}`);
  if (!Number.isInteger(r.signFlipB) || r.signFlipB < 1) throw new RangeError(`signFlipB must be a positive integer, got ${r.signFlipB}`);
  return r;
}

/** A two-sided interval [lo, hi]. */
export type Interval = [number, number];
