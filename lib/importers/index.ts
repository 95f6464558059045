import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { isS3Url } from "@/lib/s3/location";
import { removeLeftovers } from "@/lib/workspace/leftovers";
import { BadRows } from "./bad-rows";
import { importEvalPlus, isEvalPlusFile } from "./evalplus";
import { importInspect, isInspectFile } from "./inspect";
import { importLmEval, isLmEvalFile } from "./lm-eval";
import { importOlmoEval, isOlmoEvalCompanion, isOlmoEvalFile } from "./olmo-eval";
import { importRunId } from "./run-id";
import { importTable, isTableFile, TABLE_TEMP_PREFIX } from "./table";
import { FORMATS, ImportError, type Format, type ImportedRun, type ImportOptions, type SkippedRow } from "./types";
import type { RunManifest } from "@/lib/schema";
import { STAGING_PREFIX, writeImports, type RunToWrite } from "./write-import";

export { FORMATS, ImportError, type Format, type ImportOptions, type TableMapping, type SkippedRow } from "./types";

/** How each format recognises its files, in the order detection tries them. */
const MATCHERS: [Exclude<Format, "table">, (file: string) => boolean][] = [
  ["lm-eval", isLmEvalFile],
  ["olmo-eval", isOlmoEvalFile],
  ["evalplus", isEvalPlusFile],
  ["inspect", isInspectFile],
];

const FORMAT_HINTS =
  "lm-eval (samples_<task>_<time>.jsonl with results_<time>.json), inspect (.eval archive or .json log), " +
  "olmo-eval (*predictions.jsonl with *metrics.json), evalplus (*eval_results.json); for any other table " +
  "(JSON, JSONL, CSV, Parquet, .zip) give --id and --score (format table)";

/** The files under the given paths: folders are walked (a few levels deep), files taken as named. */
function expand(paths: string[]): { named: string[]; found: string[] } {
  const named: string[] = [];
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && depth < 4 && !entry.name.startsWith(".")) walk(full, depth + 1);
      else if (entry.isFile()) found.push(full);
    }
  };
  for (const p of paths) {
    const stat = fs.statSync(p, { throwIfNoEntry: false });
    if (!stat) throw new ImportError(`${p} does not exist`);
    if (stat.isDirectory()) walk(p, 0);
    else named.push(path.resolve(p));
  }
  return { named, found };
}

/** The format of each file: the one asked for, else the first matcher that recognises it. */
function assignFormats(paths: string[], options: ImportOptions): Map<Format, string[]> {
  const { named, found } = expand(paths);
  const byFormat = new Map<Format, string[]>();
  const add = (format: Format, file: string) => byFormat.set(format, [...(byFormat.get(format) ?? []), file]);
  const matchOf = (file: string): Format | null => {
    if (options.format === "table" || (!options.format && options.table)) return isTableFile(file) ? "table" : null;
    if (options.format) return MATCHERS.find(([f]) => f === options.format)![1](file) ? options.format : null;
    return MATCHERS.find(([, matches]) => matches(file))?.[0] ?? null;
  };
  for (const file of named) {
    const format = matchOf(file);
    if (format === null && isOlmoEvalCompanion(file, named)) continue;
    if (format === null) {
      throw new ImportError(
        options.format ? `${path.basename(file)} is not a ${options.format} file; see docs/importing.md for what each format reads` : `cannot tell the format of ${path.basename(file)}: it matches none of ${FORMAT_HINTS}; or name it with --format`,
      );
    }
    add(format, file);
  }
  // Files found inside folders that belong to no format (READMEs, other outputs) are left alone.
  for (const file of found) {
    const format = matchOf(file);
    if (format !== null) add(format, file);
  }
  if (byFormat.size === 0) throw new ImportError(`found nothing to import in ${paths.join(", ")}: no file matches ${options.format ?? FORMAT_HINTS}`);
  return byFormat;
}

function read(format: Format, files: string[], options: ImportOptions, bad: BadRows): Promise<ImportedRun[]> | ImportedRun[] {
  switch (format) {
    case "lm-eval":
      return importLmEval(files, bad);
    case "inspect":
      return importInspect(files, bad);
    case "olmo-eval":
      return importOlmoEval(files, bad);
    case "evalplus":
      return importEvalPlus(files, options.humaneval ?? null);
    case "table":
      if (!options.table) throw new ImportError("a table import needs --id and --score: SQL expressions over the table's columns (see docs/importing.md)");
      return importTable(files, options.table, bad, options.signal);
  }
}

export interface PlannedImport {
  runs: (RunToWrite & { reported: Record<string, number> })[];
  skipped: SkippedRow[];
  formats: Format[];
}

/**
 * Reads every source under `paths` into runs, nothing written yet: flags override what the
 * source records about the model and task; run ids are derived from the source content.
 */
export async function planImport(paths: string[], options: ImportOptions = {}): Promise<PlannedImport> {
  if (options.format && !FORMATS.includes(options.format)) throw new ImportError(`unknown format ${options.format}; use one of ${FORMATS.join(", ")}`);
  const bad = new BadRows(options.skipBadRows ?? false);
  const runs: PlannedImport["runs"] = [];
  const byFormat = assignFormats(paths, options);
  for (const [format, files] of byFormat) {
    for (const imported of await read(format, files, options, bad)) {
      const { run } = imported;
      run.model = {
        ...run.model,
        name: options.modelName ?? run.model.name,
        checkpoint: options.checkpoint ?? run.model.checkpoint ?? null,
        step: options.step ?? run.model.step ?? null,
      };
      if (run.model.name === "") throw new ImportError(`${run.source.path} does not record the model; name it with --model-name`);
      if (options.task) {
        run.task = { ...run.task, name: options.task };
        for (const record of imported.records) record.task = options.task;
      }
      if (imported.records.length === 0) throw new ImportError(`${run.source.path}: no records to import${bad.skipped.length > 0 ? ` (all ${bad.skipped.length} rows were skipped)` : ""}`);
      const run_id = importRunId(format, imported, { table: options.table ?? null, humaneval: options.humaneval ? path.basename(options.humaneval) : null });
      runs.push({ run: { ...run, run_id }, records: imported.records, reported: imported.reported });
    }
  }
  return { runs, skipped: bad.skipped, formats: [...byFormat.keys()] };
}

export interface ImportResult {
  created: RunManifest[];
  /** Run ids already in the workspace: this source was imported before; nothing was written. */
  existing: string[];
  skipped: SkippedRow[];
  /** Per created run, the aggregates the source itself reports, to check against the imported ones. */
  reported: Record<string, Record<string, number>>;
}

/** Clears what killed imports left: staging folders in a folder workspace, archive entries extracted to the temp folder. */
function removeImportLeftovers(workspace: string): void {
  if (!isS3Url(workspace)) removeLeftovers(workspace, STAGING_PREFIX);
  removeLeftovers(os.tmpdir(), TABLE_TEMP_PREFIX);
}

/** Reads the sources and writes their runs into the workspace, all or nothing. */
export async function importPaths(workspace: string, paths: string[], options: ImportOptions = {}): Promise<ImportResult> {
  removeImportLeftovers(workspace);
  const plan = await planImport(paths, options);
  const { created, existing } = await writeImports(workspace, plan.runs);
  const reported = Object.fromEntries(plan.runs.map((r) => [r.run.run_id, r.reported]));
  return { created, existing, skipped: plan.skipped, reported };
}
