import fs from "node:fs";
import path from "node:path";
import type { MetricValue } from "@/lib/schema";
import { contentHash, instanceHash } from "@/lib/schema/hash";
import type { BadRows } from "./bad-rows";
import { asObject, asText, readJsonFile, readJsonl } from "./read-source";
import { ImportError, type ImportedRun, type ImportRecord } from "./types";

/** olmo-eval writes `[task-NNN-<task>-]predictions.jsonl` beside `[...-]metrics.json`. */
const PREDICTIONS = /^(.*?)predictions\.jsonl$/;

export const isOlmoEvalFile = (file: string) => PREDICTIONS.test(path.basename(file));

/**
 * A `[prefix]metrics.json` named together with its `[prefix]predictions.jsonl`: it is read with
 * the predictions (the importer finds it beside them), not imported on its own.
 */
export function isOlmoEvalCompanion(file: string, named: readonly string[]): boolean {
  const prefix = /^(.*?)metrics\.json$/.exec(path.basename(file))?.[1];
  return prefix !== undefined && named.includes(path.join(path.dirname(file), `${prefix}predictions.jsonl`));
}

function importTask(predictionsFile: string, bad: BadRows): ImportedRun {
  const name = path.basename(predictionsFile);
  const prefix = PREDICTIONS.exec(name)![1];
  const metricsFile = path.join(path.dirname(predictionsFile), `${prefix}metrics.json`);
  if (!fs.existsSync(metricsFile)) throw new ImportError(`${name} has no ${prefix}metrics.json beside it; olmo-eval writes both, and the model, task and primary metric come from it`);
  const summary = asObject(readJsonFile(metricsFile));
  const taskConfig = asObject(summary?.task_config);
  const modelConfig = asObject(summary?.model_config) ?? {};
  if (!summary || !taskConfig) throw new ImportError(`${path.basename(metricsFile)} has no task_config: it is not an olmo-eval metrics file`);
  const aggregates = asObject(summary.metrics) ?? {};
  const primary = typeof taskConfig.primary_metric === "string" ? taskConfig.primary_metric : null;
  if (!primary) throw new ImportError(`${path.basename(metricsFile)}: task_config.primary_metric is missing`);
  // Per-question metrics are those the task aggregates; primary_score only repeats the primary.
  const metricNames = Object.keys(aggregates).filter((m) => m !== "primary_score" && typeof aggregates[m] === "number");
  const taskName = String(taskConfig.task_name ?? summary.task_name ?? prefix.replace(/^task-\d+-|-$/g, ""));
  const alias = String(asObject(taskConfig.metadata)?.alias ?? "");

  const records: ImportRecord[] = [];
  const seen = new Set<string>();
  for (const { line, value } of readJsonl(predictionsFile, bad)) {
    const id = value.native_id ?? value.doc_id;
    if (id === undefined || id === null) {
      bad.report(name, `line ${line}`, "has neither native_id nor doc_id");
      continue;
    }
    const instanceId = String(id);
    if (seen.has(instanceId)) {
      bad.report(name, `line ${line}`, `id ${instanceId} appears on an earlier line`);
      continue;
    }
    seen.add(instanceId);
    const perDoc = asObject(value.metrics) ?? {};
    const scores: Record<string, number | null> = {};
    for (const metric of metricNames) {
      const score = perDoc[metric];
      scores[metric] = typeof score === "number" || typeof score === "boolean" ? Number(score) : null;
    }
    const outputs = Array.isArray(value.model_output) ? value.model_output.map((o) => asObject(o) ?? {}) : [];
    const continuation = outputs.length === 1 ? outputs[0].continuation : undefined;
    records.push({
      task: taskName,
      instance_id: instanceId,
      // Predictions hold no question text: the dataset's id and gold label stand for the question.
      instance_hash: instanceHash({ task: taskName, id: instanceId }, value.label ?? null),
      prompt: null,
      response: typeof continuation === "string" ? continuation : null,
      extracted: asText(perDoc.model_answer ?? outputs[0]?.model_answer),
      target: asText(value.label),
      score: scores[primary] ?? null,
      scores,
    });
  }
  const directions = Object.fromEntries(metricNames.map((m) => [m, { value: null, se: null, ci: null, n: 0, higher_is_better: !/^(bpb|bits_per_byte|loss|ppl|perplexity)/.test(m) } satisfies MetricValue]));
  const reported = Object.fromEntries(metricNames.map((m) => [m, aggregates[m] as number]));
  return {
    run: {
      model: {
        name: String(modelConfig.model ?? modelConfig.model_path ?? ""),
        checkpoint: typeof modelConfig.revision === "string" ? modelConfig.revision : null,
        provider: typeof modelConfig.model_type === "string" ? modelConfig.model_type : null,
      },
      task: {
        name: taskName,
        variant: alias.startsWith(`${taskName}:`) ? alias.slice(taskName.length + 1) : null,
        hash: typeof summary.task_hash === "string" ? summary.task_hash : contentHash({ tool: "olmo-eval", config: taskConfig }),
        config: taskConfig,
      },
      harness: { name: "olmo-eval", config: { model_config: modelConfig, compute_config: summary.compute_config ?? null, model_hash: summary.model_hash ?? null } },
      source: { kind: "import", tool: `olmo-eval ${typeof summary.version === "string" ? summary.version : "(version not recorded)"}`, path: `${name}, ${path.basename(metricsFile)}` },
      primary_metric: primary,
      metrics: directions,
      tags: ["import", "olmo-eval"],
      seed: typeof taskConfig.random_subsample_seed === "number" ? taskConfig.random_subsample_seed : 0,
      notes: null,
    },
    records,
    reported,
    files: [predictionsFile, metricsFile],
  };
}

/** One run per olmo-eval task: its predictions with the metrics file beside them. */
export function importOlmoEval(files: string[], bad: BadRows): ImportedRun[] {
  return files.map((file) => importTask(file, bad));
}
