import fs from "node:fs";
import path from "node:path";
import type { MetricValue } from "@/lib/schema";
import { contentHash, instanceHash } from "@/lib/schema/hash";
import type { BadRows } from "./bad-rows";
import { asObject, asText, readJsonFile, readJsonl } from "./read-source";
import { ImportError, type ImportedRun, type ImportRecord } from "./types";

/** lm-eval-harness `--log_samples` file names: samples_<task>_<time>.jsonl beside results_<time>.json. */
const SAMPLES_FILE = /^samples_(.+)_(\d{4}-\d{2}-\d{2}T[0-9.-]+)\.jsonl$/;
const RESULTS_FILE = /^results_(\d{4}-\d{2}-\d{2}T[0-9.-]+)\.json$/;

export const isLmEvalFile = (file: string) => SAMPLES_FILE.test(path.basename(file)) || RESULTS_FILE.test(path.basename(file));

type Json = Record<string, unknown>;

/** The outermost group a task belongs to (`bbh` for `bbh_cot_fewshot_snarks`), or the task itself. */
function rootGroup(results: Json, task: string): string {
  const parent = new Map<string, string>();
  for (const [group, children] of Object.entries(asObject(results.group_subtasks) ?? {})) {
    if (Array.isArray(children)) for (const child of children) if (child !== group) parent.set(String(child), group);
  }
  let root = task;
  for (let hops = 0; parent.has(root) && hops < 16; hops++) root = parent.get(root)!;
  return root;
}

/** model_args as lm-eval records it: "k=v,k=v" (older) or an object (newer). */
function modelArgs(config: Json): Record<string, unknown> {
  const args = config.model_args;
  if (typeof args === "string") {
    return Object.fromEntries(args.split(",").filter(Boolean).map((pair) => { const at = pair.indexOf("="); return at < 0 ? [pair, true] : [pair.slice(0, at), pair.slice(at + 1)]; }));
  }
  return asObject(args) ?? {};
}

/** The text of the first request: the prompt for generation, the context for log-likelihood. */
function promptOf(args: unknown): string | null {
  const first = Array.isArray(args) ? args[0] : asObject(args)?.gen_args_0;
  if (Array.isArray(first)) return asText(first[0]);
  return asText(asObject(first)?.arg_0);
}

/**
 * How a question is identified and hashed, the way evalbench's own task of that benchmark does,
 * so an imported run pairs with native runs: BBH ids are `<subtask>-<index>` over `{input}`.
 * Other tasks keep lm-eval's doc_id and hash the whole doc with its target.
 */
function questionIdentity(root: string, subtask: string | null, docId: number, doc: Json, target: unknown): { id: string; hash: string } {
  if (root === "bbh" && subtask !== null && typeof doc.input === "string") {
    return { id: `${subtask}-${docId}`, hash: instanceHash({ input: doc.input }, doc.target ?? target) };
  }
  return { id: String(docId), hash: instanceHash(doc, target ?? null) };
}

interface Line {
  line: number;
  value: Json;
}

/** One run per samples file; its results file gives the model, config and reported aggregates. */
function importTask(samplesFile: string, resultsFile: string, results: Json, lmTask: string, bad: BadRows): ImportedRun {
  const samplesName = path.basename(samplesFile);
  const taskConfig = asObject(asObject(results.configs)?.[lmTask]);
  if (!taskConfig) throw new ImportError(`${path.basename(resultsFile)} has no config for task ${lmTask} (from ${samplesName}); use the results file written by the same lm-eval run`);
  const runConfig = asObject(results.config) ?? {};
  const args = modelArgs(runConfig);
  const root = rootGroup(results, lmTask);
  const subtask = root === lmTask ? null : typeof taskConfig.dataset_name === "string" ? taskConfig.dataset_name : lmTask.replace(`${root}_`, "");

  const metricNames = (Array.isArray(taskConfig.metric_list) ? taskConfig.metric_list : []).map((m) => String(asObject(m)?.metric ?? m));
  const filterNames = (Array.isArray(taskConfig.filter_list) ? taskConfig.filter_list : []).map((f) => String(asObject(f)?.name ?? "none"));
  if (filterNames.length === 0) filterNames.push("none");
  if (metricNames.length === 0) throw new ImportError(`${path.basename(resultsFile)}: task ${lmTask} lists no metrics in configs.${lmTask}.metric_list`);
  const primary = `${metricNames[0]},${filterNames[0]}`;

  // lm-eval writes one line per (doc_id, filter); they join into one record per doc.
  const byDoc = new Map<number, Line[]>();
  for (const entry of readJsonl(samplesFile, bad)) {
    const docId = entry.value.doc_id;
    if (typeof docId !== "number" || !Number.isInteger(docId)) {
      bad.report(samplesName, `line ${entry.line}`, "has no integer doc_id");
      continue;
    }
    const lines = byDoc.get(docId) ?? [];
    lines.push(entry);
    byDoc.set(docId, lines);
  }

  const unnumeric = new Set<string>();
  const records: ImportRecord[] = [];
  for (const [docId, lines] of [...byDoc].sort(([a], [b]) => a - b)) {
    const first = lines[0].value;
    const doc = asObject(first.doc) ?? {};
    const scores: Record<string, number | null> = {};
    for (const { value } of lines) {
      const filter = String(value.filter ?? "none");
      const names = Array.isArray(value.metrics) ? value.metrics.map(String) : metricNames;
      for (const metric of names) {
        const score = value[metric];
        if (typeof score === "number" || typeof score === "boolean") scores[`${metric},${filter}`] = Number(score);
        else unnumeric.add(metric);
      }
    }
    const primaryLine = lines.find((l) => String(l.value.filter ?? "none") === filterNames[0])?.value ?? first;
    const filtered = primaryLine.filtered_resps;
    const resps = first.resps;
    const { id, hash } = questionIdentity(root, subtask, docId, doc, first.target);
    records.push({
      task: root,
      subtask,
      instance_id: id,
      instance_hash: hash,
      prompt: promptOf(first.arguments),
      response: Array.isArray(resps) && Array.isArray(resps[0]) && typeof resps[0][0] === "string" ? resps[0][0] : asText(resps),
      extracted: Array.isArray(filtered) && filtered.length === 1 && typeof filtered[0] === "string" ? filtered[0] : asText(filtered),
      target: asText(first.target),
      score: scores[primary] ?? null,
      scores,
      // Each filter's own extraction, so none of the (doc_id, filter) lines loses its answer.
      transcript: lines.length > 1 ? lines.map(({ value }) => ({ type: "filter", filter: value.filter ?? "none", filtered_resps: value.filtered_resps ?? null })) : null,
    });
  }

  const effective = asObject(asObject(results["n-samples"])?.[lmTask])?.effective;
  if (typeof effective === "number" && effective !== records.length && bad.skipped.length === 0) {
    throw new ImportError(`${samplesName} has ${records.length} docs but ${path.basename(resultsFile)} reports ${effective} for ${lmTask}: the samples file looks truncated; import the complete file`);
  }

  const directions = asObject(asObject(results.higher_is_better)?.[lmTask]) ?? {};
  const metrics: Record<string, MetricValue> = {};
  for (const key of new Set(records.flatMap((r) => Object.keys(r.scores ?? {})))) {
    metrics[key] = { value: null, se: null, ci: null, n: 0, higher_is_better: directions[key.split(",")[0]] !== false };
  }
  const reported: Record<string, number> = {};
  for (const [key, value] of Object.entries(asObject(asObject(results.results)?.[lmTask]) ?? {})) {
    if (typeof value === "number" && !key.includes("_stderr")) reported[key] = value;
  }
  const { metadata, ...scoring } = taskConfig;
  const version = typeof results.lm_eval_version === "string" ? results.lm_eval_version : typeof results.git_hash === "string" ? `git ${results.git_hash}` : "version not recorded";
  const modelName = typeof results.model_name === "string" && results.model_name !== "" ? results.model_name : String(args.pretrained ?? runConfig.model ?? "unknown-model");
  const nShot = asObject(results["n-shot"])?.[lmTask];
  return {
    run: {
      model: { name: modelName, checkpoint: typeof args.revision === "string" ? args.revision : null, provider: typeof runConfig.model === "string" ? runConfig.model : null },
      task: {
        name: root,
        variant: root === lmTask ? null : lmTask,
        // The config as it scores: the version counts, the model named in metadata does not.
        hash: contentHash({ tool: "lm-eval", config: scoring, version: asObject(metadata)?.version ?? null }),
        config: taskConfig,
      },
      harness: {
        name: "lm-eval-harness",
        config: Object.fromEntries(
          Object.entries({
            model: runConfig.model, model_args: runConfig.model_args, gen_kwargs: runConfig.gen_kwargs, batch_size: runConfig.batch_size,
            limit: runConfig.limit, num_fewshot: nShot, fewshot_seed: runConfig.fewshot_seed, system_instruction: results.system_instruction,
            chat_template_sha: results.chat_template_sha, fewshot_as_multiturn: results.fewshot_as_multiturn, git_hash: results.git_hash, date: results.date,
          }).filter(([, v]) => v !== undefined),
        ),
      },
      source: { kind: "import", tool: `lm-eval-harness ${version}`, path: `${samplesName}, ${path.basename(resultsFile)}` },
      primary_metric: primary,
      metrics,
      tags: ["import", "lm-eval"],
      seed: typeof runConfig.random_seed === "number" && runConfig.random_seed >= 0 ? runConfig.random_seed : 0,
      notes: unnumeric.size > 0 ? `Not imported: metrics ${[...unnumeric].join(", ")} have per-question values that are not numbers (lm-eval aggregates them over the corpus).` : null,
    },
    records,
    reported,
    files: [samplesFile, resultsFile],
  };
}

/** Every samples file among `files`, each paired with the results file of its run. */
export function importLmEval(files: string[], bad: BadRows): ImportedRun[] {
  const samples = files.filter((f) => SAMPLES_FILE.test(path.basename(f)));
  if (samples.length === 0) {
    throw new ImportError(`no lm-eval samples_<task>_<time>.jsonl among ${files.map((f) => path.basename(f)).join(", ")}; run lm-eval with --log_samples and import its output folder`);
  }
  const resultsCache = new Map<string, Json>();
  return samples.map((file) => {
    const [, task, time] = SAMPLES_FILE.exec(path.basename(file))!;
    const resultsFile = path.join(path.dirname(file), `results_${time}.json`);
    if (!fs.existsSync(resultsFile)) {
      throw new ImportError(`${path.basename(file)} has no results_${time}.json beside it; lm-eval writes both to the same folder, and the model and config come from it`);
    }
    let results = resultsCache.get(resultsFile);
    if (!results) {
      const parsed = asObject(readJsonFile(resultsFile));
      if (!parsed) throw new ImportError(`${path.basename(resultsFile)} is not a JSON object`);
      resultsCache.set(resultsFile, (results = parsed));
    }
    return importTask(file, resultsFile, results, task, bad);
  });
}
