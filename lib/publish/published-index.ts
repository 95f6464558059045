// The index of a published viewer (index.json): what the viewer shows, and the hash of every run
// file it copied, so the viewer never changes under its link. Read by the viewer in the browser.
import type { ComparedRun } from "@/lib/share/comparison";

export const INDEX_FILE = "index.json";
export const INDEX_FORMAT = 1;

/** One copied file, relative to the viewer's folder. */
export interface PublishedFile {
  path: string;
  sha256: string;
  bytes: number;
}

export interface PublishedRun extends ComparedRun {
  records: PublishedFile;
  /** The comparison's columns (compare.parquet); null for runs written before it existed. */
  compare: PublishedFile | null;
}

/** The matrix of the published runs of one task, computed at publish time as /api/matrix computes it. */
export interface PublishedMatrix {
  task: string;
  /** The /api/matrix query it answers: `run=` each run id. */
  query: string;
  path: string;
}

/** A training-run series (the app's series page), computed at publish time as /api/series computes it. */
export interface PublishedSeries {
  /** One task's series, or (task null) a suite's: its aggregate and every member task in one report. */
  task: string | null;
  suite: string | null;
  /** The model lines, the first being the baseline. */
  lines: string[];
  /** The app's /series parameters the figures answer: lines, task or suite, metric, k and tie margin. */
  query: string;
  /** Each /api/series address the page asks for (the report, its parts, each line's trajectories; a suite's report) and the file holding its answer. */
  answers: Record<string, string>;
}

export interface PublishedIndex {
  format: typeof INDEX_FORMAT;
  published_at: string;
  /** False when published with --no-text: the records hold no prompt, response, target or transcript. */
  text: boolean;
  /** The comparison the link opens, when one was published. */
  compare: { a: string; b: string } | null;
  runs: PublishedRun[];
  matrices: PublishedMatrix[];
  /** The series published with --series: one task's, or a suite's and each of its member tasks'. */
  series: PublishedSeries[];
}

/** The page of a viewer that opens a comparison; the share link's parameters follow it. */
export const COMPARE_PAGE = "compare.html";
/** The page listing the published runs. */
export const HOME_PAGE = "index.html";
/** A run's page, its question browser: `run.html?id=RUN_ID`. */
export const RUN_PAGE = "run.html";
/** The matrix page of the runs of one task: `matrix.html?run=...`. */
export const MATRIX_PAGE = "matrix.html";

/** The series page: `series.html?line=...&task=...`, the app's /series parameters. */
export const SERIES_PAGE = "series.html";

/** The files a link opens: written last, so that everything they need is there before them. */
export const ENTRY_FILES = [INDEX_FILE, HOME_PAGE, COMPARE_PAGE, RUN_PAGE, MATRIX_PAGE, SERIES_PAGE];
