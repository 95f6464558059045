import type { QuestionRecordInput } from "@/lib/schema";
import type { NewRun } from "@/lib/workspace/run-writer";

/** The formats `evalbench import --format` takes. */
export const FORMATS = ["lm-eval", "inspect", "olmo-eval", "evalplus", "table"] as const;
export type Format = (typeof FORMATS)[number];

export type ImportRecord = Omit<QuestionRecordInput, "run_id">;

/** One run read from another tool's output: everything but its id, which index.ts derives. */
export interface ImportedRun {
  run: Omit<NewRun, "run_id">;
  records: ImportRecord[];
  /** Aggregates the source itself reports (metric -> value), shown beside the imported ones. */
  reported: Record<string, number>;
  /** The source files the run came from, read for the run id's content hash. */
  files: string[];
}

/** SQL expressions over a table's columns that make its records (see docs/importing.md). */
export interface TableMapping {
  id: string;
  score: string;
  response?: string;
  target?: string;
  prompt?: string;
  subtask?: string;
  cluster?: string;
  /** For a JSON object that holds the rows in one of its fields. */
  rows?: string;
  /** Name of the metric the --score expression gives (default `score`). */
  metric?: string;
}

export interface ImportOptions {
  format?: Format;
  modelName?: string;
  checkpoint?: string;
  step?: number;
  /** Task name for sources that do not record one (tables); overrides the source's otherwise. */
  task?: string;
  /** Skip rows that cannot be read, reporting them, instead of failing the import. */
  skipBadRows?: boolean;
  table?: TableMapping;
  /** HumanEval JSONL(.gz) for EvalPlus prompts and targets. */
  humaneval?: string;
  /** The request that asked for the import: a table mapping's queries stop when it goes away. */
  signal?: AbortSignal;
}

/** A source problem: names the file and where in it (entry, line, row) and what to do. */
export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImportError";
  }
}

export interface SkippedRow {
  file: string;
  where: string;
  reason: string;
}
