import type { RunColumns } from "./columns";
import type { AlignedRow } from "./sql";

/**
 * Two runs that each hold one task, under different names, with question ids in common (two
 * files of one benchmark imported as tables get their file names as task names): their questions
 * are paired by id across the two names. The instance hashes still guard: a question whose text
 * differs is a mismatch, never paired.
 */
export interface AcrossTasks {
  candidate_task: string;
  baseline_task: string;
}

/** Why no question pairs, in words that say what to do; `reason` is for scripts. */
export interface NothingPairs {
  reason: "different_tasks" | "different_ids" | "changed_hashes" | "unscored";
  text: string;
}

/** What the comparison pairs on, as the page and the CLI say it. */
export interface PairingNote {
  across_tasks: AcrossTasks | null;
  /** Null when some question pairs. */
  nothing_pairs: NothingPairs | null;
}

/** The one task name of a run's records, or null when it has none or several. */
function onlyTask(run: RunColumns): string | null {
  let task: string | null = null;
  for (const value of run.task) {
    const name = value === null ? null : String(value);
    if (name === null || (task !== null && name !== task)) return null;
    task = name;
  }
  return task;
}

/** The candidate's and baseline's task names when both hold one task each, differently named, with ids in common. */
export function acrossTasks(candidate: RunColumns, baseline: RunColumns): AcrossTasks | null {
  const candidateTask = onlyTask(candidate);
  const baselineTask = onlyTask(baseline);
  if (candidateTask === null || baselineTask === null || candidateTask === baselineTask) return null;
  const ids = new Set(candidate.instance_id.map(String));
  if (!baseline.instance_id.some((id) => ids.has(String(id)))) return null;
  return { candidate_task: candidateTask, baseline_task: baselineTask };
}

/** The baseline's columns with its task named as the candidate's, so that alignment pairs them by id. */
export function renamedTask(baseline: RunColumns, task: string): RunColumns {
  return { ...baseline, task: new Array<string>(baseline.task.length).fill(task) };
}

const list = (names: Set<string>) => {
  const sorted = [...names].sort();
  return sorted.length > 4 ? `${sorted.slice(0, 4).join(", ")} and ${sorted.length - 4} more` : sorted.join(", ");
};

/**
 * Why the rows in scope pair no question, or null when some do. Rows are aligned rows (only the
 * candidate's, only the baseline's, mismatched, shared); `scored` counts the shared questions that
 * both runs scored.
 */
export function nothingPairs(rows: readonly AlignedRow[], scored: number): NothingPairs | null {
  if (scored > 0 || rows.length === 0) return null;
  const candidateTasks = new Set<string>();
  const baselineTasks = new Set<string>();
  let shared = 0;
  let mismatched = 0;
  for (const row of rows) {
    if (row.pairing !== "only_b") candidateTasks.add(row.task);
    if (row.pairing !== "only_a") baselineTasks.add(row.task);
    if (row.pairing === "shared") shared++;
    if (row.pairing === "mismatch") mismatched++;
  }
  if (shared > 0) {
    return { reason: "unscored", text: `the ${shared.toLocaleString("en-US")} records in both runs are unscored (errored, or no score) in at least one of them: rescore or rerun them to compare` };
  }
  if (mismatched > 0) {
    return {
      reason: "changed_hashes",
      text: `every question in both runs changed between them (${mismatched.toLocaleString("en-US")} records whose instance hashes differ): the runs used different versions of the data; rerun one on the other's data to compare them`,
    };
  }
  if (![...candidateTasks].some((task) => baselineTasks.has(task))) {
    return {
      reason: "different_tasks",
      text: `the runs hold different tasks (candidate: ${list(candidateTasks)}; baseline: ${list(baselineTasks)}) and no question id in common: pick two runs of the same task`,
    };
  }
  return {
    reason: "different_ids",
    text: `the runs share the task ${list(new Set([...candidateTasks].filter((t) => baselineTasks.has(t))))} but no question id: their questions were numbered differently (say by two importers); import both with the same id column to pair them`,
  };
}

/** The sentence that says how the runs were paired, when it is worth saying; the verdict already says "nothing to compare". */
export function pairingSentence(note: PairingNote): string | null {
  if (note.across_tasks) {
    const { candidate_task, baseline_task } = note.across_tasks;
    return `paired across task names: the candidate's ${candidate_task} with the baseline's ${baseline_task}, by question id (each run holds one task; changed questions are still caught by their hashes)`;
  }
  const nothing = note.nothing_pairs;
  return nothing && (nothing.reason === "different_ids" || nothing.reason === "unscored") ? `not paired: ${nothing.text}` : null;
}
