import type { RunQuestions } from "@/lib/compare/run-questions";
import { naturalSort } from "@/lib/sort/natural";
import type { SeriesPoint } from "./lines";

/** How a question fares across a line's checkpoints ("right" is a score of at least 0.5). */
export const TRAJECTORY_KINDS = ["always_right", "never_learned", "learned_kept", "forgotten", "unsettled", "changed"] as const;
export type TrajectoryKind = (typeof TRAJECTORY_KINDS)[number];

export const TRAJECTORY_LABELS: Record<TrajectoryKind, string> = {
  always_right: "always right",
  never_learned: "never learned",
  learned_kept: "learned and kept",
  forgotten: "forgotten after being learned",
  unsettled: "learned, lost and learned again",
  changed: "question changed (hash differs)",
};

/** No score at this checkpoint: the question is absent, errored, or unscored. */
export const NO_SCORE = 255;

export interface Trajectories {
  runs: Pick<SeriesPoint, "run_id" | "step" | "checkpoint">[];
  /** Question ids (task/instance_id), in natural order. */
  questions: string[];
  /**
   * Row-major, question by checkpoint: the question's score (samples averaged) as a whole
   * percentage 0-100, or NO_SCORE. Base64, so 5,000 x 50 cells travel as 330 KB of JSON.
   */
  cells: string;
  /** Changes between right and wrong from one scored checkpoint to the next, per question. */
  flips: number[];
  kind: TrajectoryKind[];
  /** Every score is 0 or 1. */
  binary: boolean;
}

/** A run's questions by id (task/instance_id), with their mean score and hash. */
function byId(run: RunQuestions): Map<string, { score: number | null; hash: string | null }> {
  const out = new Map<string, { score: number | null; hash: string | null }>();
  for (let q = 0; q < run.ids.length; q++) out.set(run.ids[q], { score: run.score[q], hash: run.hash[q] });
  return out;
}

function classify(row: readonly number[], changed: boolean): { kind: TrajectoryKind; flips: number } {
  const right = row.filter((c) => c !== NO_SCORE).map((c) => c >= 50);
  let flips = 0;
  for (let i = 1; i < right.length; i++) if (right[i] !== right[i - 1]) flips++;
  if (changed) return { kind: "changed", flips };
  if (right.length === 0 || right.every((r) => !r)) return { kind: "never_learned", flips };
  if (right.every((r) => r)) return { kind: "always_right", flips };
  if (!right.at(-1)) return { kind: "forgotten", flips };
  return { kind: flips === 1 ? "learned_kept" : "unsettled", flips };
}

/**
 * Every question of a task across a line's checkpoints: its score at each, how often it flipped
 * between right and wrong, and what kind of trajectory it has. A question whose hash changes
 * along the line is flagged, never classified as learned or forgotten.
 */
export function buildTrajectories(points: readonly SeriesPoint[], runs: readonly RunQuestions[]): Trajectories {
  const maps = runs.map(byId);
  const ids = naturalSort([...new Set(maps.flatMap((m) => [...m.keys()]))]);
  const cells = new Uint8Array(ids.length * runs.length);
  const flips: number[] = [];
  const kind: TrajectoryKind[] = [];
  let binary = true;
  ids.forEach((id, q) => {
    const row: number[] = [];
    let hash: string | null | undefined;
    let changed = false;
    maps.forEach((m, c) => {
      const entry = m.get(id);
      if (entry && hash !== undefined && entry.hash !== hash) changed = true;
      if (entry && hash === undefined) hash = entry.hash;
      const mean = entry ? entry.score : null;
      if (mean !== null && mean !== 0 && mean !== 1) binary = false;
      const cell = mean === null ? NO_SCORE : Math.round(100 * Math.min(1, Math.max(0, mean)));
      cells[q * runs.length + c] = cell;
      row.push(cell);
    });
    const c = classify(row, changed);
    flips.push(c.flips);
    kind.push(c.kind);
  });
  return {
    runs: points.map((p) => ({ run_id: p.run_id, step: p.step, checkpoint: p.checkpoint })),
    questions: ids,
    cells: Buffer.from(cells).toString("base64"),
    flips,
    kind,
    binary,
  };
}
