import fs from "node:fs";
import path from "node:path";
import type { MetricValue } from "@/lib/schema";
import { contentHash, instanceHash } from "@/lib/schema/hash";
import { unpack } from "@/lib/unpack/unpack";
import { BadRows } from "./bad-rows";
import { asObject, readJsonFile, readJsonl } from "./read-source";
import { ImportError, type ImportedRun, type ImportRecord } from "./types";

type Json = Record<string, unknown>;

export const isEvalPlusFile = (file: string) => /(^|_)eval_results\.json$/.test(path.basename(file));

/**
 * Settings some runners encode in the file name as `key_eq_value` parts joined by `__`, with `p`
 * for the decimal point (`model_eq_CodeLlama_7b_Python__temperature_eq_0p01`).
 */
function settingsFromName(file: string): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const part of path.basename(file).replace(/_?eval_results\.json$/, "").split("__")) {
    const match = /^(?:.*_)?([a-z]+)_eq_(.+)$/.exec(part);
    if (match) settings[match[1]] = /^\d+p\d+$/.test(match[2]) ? match[2].replace("p", ".") : match[2];
  }
  return settings;
}

/** One sample's pass/fail on the base and plus tests, from either EvalPlus results layout. */
interface Outcome {
  base: boolean;
  /** null when the run evaluated the base tests only. */
  plus: boolean | null;
  solution: string | null;
}

function outcomes(value: unknown, where: string): Outcome[] {
  // evalplus >= 0.2: a list of {solution, base_status, plus_status, ...} per sample.
  if (Array.isArray(value)) {
    return value.map((entry) => {
      const s = asObject(entry) ?? {};
      if (typeof s.base_status !== "string") throw new ImportError(`${where}: a sample has no base_status`);
      return { base: s.base_status === "pass", plus: typeof s.plus_status === "string" ? s.plus_status === "pass" : null, solution: typeof s.solution === "string" ? s.solution : null };
    });
  }
  // Older layout: {nfiles, base: [[status, per-test results]], plus: [...]}, one entry per sample.
  const object = asObject(value);
  const base = object?.base;
  if (!Array.isArray(base)) throw new ImportError(`${where}: neither a list of samples nor {base, plus}: not an EvalPlus result`);
  const plus = Array.isArray(object?.plus) ? object.plus : [];
  return base.map((entry, i) => ({
    base: Array.isArray(entry) && entry[0] === "success",
    plus: Array.isArray(plus[i]) ? plus[i][0] === "success" : null,
    solution: null,
  }));
}

/** HumanEval problems by task_id, from the dataset's JSONL (gzipped or not). */
function readProblems(file: string): Map<string, Json> {
  const bytes = fs.readFileSync(file);
  const text = file.endsWith(".gz") ? unpack("gzip", bytes, path.basename(file)).toString("utf8") : bytes.toString("utf8");
  const problems = new Map<string, Json>();
  for (const { value } of readJsonl(file, new BadRows(false), text)) problems.set(String(value.task_id), value);
  return problems;
}

function importResults(file: string, problems: Map<string, Json> | null): ImportedRun {
  const name = path.basename(file);
  const results = asObject(readJsonFile(file));
  const evals = asObject(results?.eval);
  if (!results || !evals) throw new ImportError(`${name} has no "eval" object: it is not an EvalPlus eval_results.json`);
  const datasetHash = typeof results.hash === "string" ? results.hash : null;
  const settings = settingsFromName(file);
  const records: ImportRecord[] = [];
  for (const [taskId, value] of Object.entries(evals)) {
    const problem = problems?.get(taskId) ?? null;
    if (problems && !problem) throw new ImportError(`${name}: ${taskId} is not in the HumanEval file given with --humaneval; give the dataset these results were scored on`);
    outcomes(value, `${name}, ${taskId}`).forEach((outcome, sample) => {
      const plus = outcome.plus === null ? null : outcome.base && outcome.plus;
      records.push({
        task: taskId.split("/")[0].toLowerCase(),
        instance_id: taskId,
        // The EvalPlus dataset hash versions prompts and tests together: equal hash, same question.
        instance_hash: instanceHash({ task_id: taskId }, datasetHash),
        sample,
        prompt: typeof problem?.prompt === "string" ? problem.prompt : null,
        response: outcome.solution,
        target: typeof problem?.canonical_solution === "string" ? problem.canonical_solution : null,
        score: outcome.base ? 1 : 0,
        scores: { base: outcome.base ? 1 : 0, plus: plus === null ? null : plus ? 1 : 0 },
      });
    });
  }
  if (records.length === 0) throw new ImportError(`${name} holds no problems`);
  const task = records[0].task;
  const metric = (higher_is_better: boolean): MetricValue => ({ value: null, se: null, ci: null, n: 0, higher_is_better });
  const { model, ...rest } = settings;
  return {
    run: {
      model: { name: model ?? "", provider: null },
      task: { name: task, variant: null, hash: contentHash({ tool: "evalplus", dataset: datasetHash }), config: { dataset_hash: datasetHash } },
      harness: { name: "evalplus", config: { ...rest, date: results.date ?? null } },
      source: { kind: "import", tool: "evalplus (version not recorded)", path: name },
      primary_metric: "base",
      metrics: { base: metric(true), plus: metric(true) },
      tags: ["import", "evalplus"],
      seed: 0,
      notes: null,
    },
    records,
    reported: {},
    files: [file],
  };
}

/** One run per eval_results.json: `base` (HumanEval tests) and `plus` (base and HumanEval+ tests). */
export function importEvalPlus(files: string[], humaneval: string | null): ImportedRun[] {
  const problems = humaneval ? readProblems(humaneval) : null;
  return files.map((file) => importResults(file, problems));
}
