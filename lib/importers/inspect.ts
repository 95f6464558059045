import fs from "node:fs";
import path from "node:path";
import type { MetricValue } from "@/lib/schema";
import { contentHash, instanceHash } from "@/lib/schema/hash";
import type { BadRows } from "./bad-rows";
import { asObject, asText, parseJson } from "./read-source";
import { ImportError, type ImportedRun, type ImportRecord } from "./types";
import { openZip } from "./zip";

type Json = Record<string, unknown>;

/** An Inspect `.eval` archive, or a `.json` log (it starts with its version and status). */
export function isInspectFile(file: string): boolean {
  if (file.endsWith(".eval")) return true;
  if (!file.endsWith(".json")) return false;
  const head = Buffer.alloc(256);
  const fd = fs.openSync(file, "r");
  try {
    fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  return /^\s*\{\s*"version"\s*:\s*\d+\s*,\s*"status"\s*:/.test(head.toString("utf8"));
}

/** A log's header (eval spec, plan, results) and its samples, read one at a time. */
interface Log {
  header: Json;
  sampleNames: string[];
  readSample(name: string): Promise<Json>;
  close(): void;
}

async function openEvalArchive(file: string): Promise<Log> {
  const zip = await openZip(file);
  const readJson = async (entry: string) => {
    const value = asObject(parseJson((await zip.read(entry)).toString("utf8"), `${path.basename(file)}, entry ${entry}`));
    if (!value) throw new ImportError(`${path.basename(file)}, entry ${entry}: is not a JSON object`);
    return value;
  };
  // A log still being written has only its journal's start record, not header.json.
  const headerEntry = zip.names.includes("header.json") ? "header.json" : zip.names.includes("_journal/start.json") ? "_journal/start.json" : null;
  if (!headerEntry) {
    zip.close();
    throw new ImportError(`${path.basename(file)} has neither header.json nor _journal/start.json: it is not an Inspect log`);
  }
  return {
    header: await readJson(headerEntry),
    sampleNames: zip.names.filter((n) => /^samples\/.+\.json$/.test(n)),
    readSample: readJson,
    close: () => zip.close(),
  };
}

function openJsonLog(file: string): Log {
  const log = asObject(parseJson(fs.readFileSync(file, "utf8"), path.basename(file)));
  if (!log) throw new ImportError(`${path.basename(file)} is not a JSON object`);
  const samples = Array.isArray(log.samples) ? log.samples : [];
  return {
    header: log,
    sampleNames: samples.map((_, i) => `samples[${i}]`),
    readSample: async (name) => {
      const sample = asObject(samples[Number(/\d+/.exec(name)![0])]);
      if (!sample) throw new ImportError(`${path.basename(file)}, entry ${name}: is not a JSON object`);
      return sample;
    },
    close: () => {},
  };
}

/** Inspect's own value_to_float: C/I/P/N, numbers, booleans and yes/no; anything else is an error. */
const LETTER_SCORES: Record<string, number> = { C: 1, I: 0, P: 0.5, N: 0, yes: 1, no: 0, true: 1, false: 0 };

function scoreValue(value: unknown, where: string): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string") {
    const known = LETTER_SCORES[value] ?? LETTER_SCORES[value.toLowerCase()];
    if (known !== undefined) return known;
    if (value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  }
  throw new ImportError(`${where}: score value ${JSON.stringify(value)} is not one Inspect converts to a number (C, I, P, N, a number, true/false); fix the log or rescore it in Inspect`);
}

/** Every scorer's value by metric name; a dict-valued score gives one metric per key. */
function sampleScores(scores: Json, where: string): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [scorer, score] of Object.entries(scores)) {
    const value = asObject(score)?.value;
    const dict = asObject(value);
    if (dict) for (const [key, v] of Object.entries(dict)) out[`${scorer}/${key}`] = scoreValue(v, `${where}, scorer ${scorer}.${key}`);
    else out[scorer] = scoreValue(value, `${where}, scorer ${scorer}`);
  }
  return out;
}

const ATTACHMENT = /^attachment:\/\/([0-9a-zA-Z]+)$/;

/** Replaces `attachment://<hash>` strings with the text the sample stores under that hash. */
function resolveAttachments(value: unknown, attachments: Json, where: string): unknown {
  if (typeof value === "string") {
    const ref = ATTACHMENT.exec(value);
    if (!ref) return value;
    const text = attachments[ref[1]];
    if (typeof text !== "string") throw new ImportError(`${where}: refers to ${value}, which the sample's attachments do not hold; the log is incomplete`);
    return text;
  }
  if (Array.isArray(value)) return value.map((v) => resolveAttachments(v, attachments, where));
  const object = asObject(value);
  if (object) return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, resolveAttachments(v, attachments, where)]));
  return value;
}

/** Message content as text: a string, or the text parts of a content list. */
function contentText(content: unknown): string | null {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((part) => (typeof part === "string" ? part : (asObject(part)?.text ?? ""))).join("");
  return null;
}

function promptText(input: unknown): string | null {
  if (typeof input === "string") return input;
  if (Array.isArray(input)) return input.map((m) => `${asObject(m)?.role ?? "user"}: ${contentText(asObject(m)?.content) ?? ""}`).join("\n\n");
  return null;
}

/** A sample's error as text: Inspect's message, a bare string, or any other value as JSON (still an error, never a score). */
function errorText(error: unknown): string | null {
  if (error === null || error === undefined) return null;
  if (typeof error === "string") return error;
  const message = asObject(error)?.message;
  return typeof message === "string" ? message : JSON.stringify(error);
}

function toRecord(sample: Json, task: string, primary: string, where: string): ImportRecord {
  if (typeof sample.id !== "string" && typeof sample.id !== "number") throw new ImportError(`${where}: the sample has no id (a string or a number); the log is damaged`);
  const attachments = asObject(sample.attachments) ?? {};
  const input = resolveAttachments(sample.input, attachments, where);
  const messages = resolveAttachments(sample.messages ?? null, attachments, where);
  const output = asObject(resolveAttachments(sample.output ?? null, attachments, where)) ?? {};
  const choice = asObject(Array.isArray(output.choices) ? output.choices[0] : null);
  const usage = asObject(output.usage) ?? {};
  const scores = sampleScores(asObject(sample.scores) ?? {}, where);
  const error = errorText(sample.error);
  const metadata = asObject(sample.metadata) ?? {};
  const subtask = metadata.subject ?? metadata.subtask ?? metadata.category ?? null;
  const epoch = typeof sample.epoch === "number" ? sample.epoch : 1;
  return {
    task,
    subtask: typeof subtask === "string" ? subtask : null,
    instance_id: String(sample.id),
    instance_hash: instanceHash({ input, choices: sample.choices }, sample.target ?? null),
    // Epochs are Inspect's repeated samples of one question.
    sample: Math.max(0, epoch - 1),
    prompt: promptText(input),
    response: typeof output.completion === "string" && output.completion !== "" ? output.completion : contentText(asObject(choice?.message)?.content),
    extracted: asText(asObject(asObject(sample.scores)?.[primary])?.answer),
    target: Array.isArray(sample.target) ? JSON.stringify(sample.target) : asText(sample.target),
    score: error ? null : (scores[primary] ?? null),
    scores,
    error,
    transcript: Array.isArray(messages) ? messages : null,
    input_tokens: typeof usage.input_tokens === "number" ? usage.input_tokens : null,
    output_tokens: typeof usage.output_tokens === "number" ? usage.output_tokens : null,
    latency_ms: typeof sample.total_time === "number" ? sample.total_time * 1000 : null,
  };
}

async function importLog(file: string, bad: BadRows): Promise<ImportedRun> {
  const name = path.basename(file);
  const log = file.endsWith(".eval") ? await openEvalArchive(file) : openJsonLog(file);
  try {
    const evalSpec = asObject(log.header.eval);
    if (!evalSpec || typeof evalSpec.task !== "string" || typeof evalSpec.model !== "string") {
      throw new ImportError(`${name}: the log header has no eval.task and eval.model; it is not an Inspect log this importer reads`);
    }
    const resultScores = (Array.isArray(asObject(log.header.results)?.scores) ? (asObject(log.header.results)!.scores as unknown[]) : []).map((s) => asObject(s) ?? {});
    const task = evalSpec.task.split("/").pop()!;
    const records: ImportRecord[] = [];
    let primary = typeof resultScores[0]?.name === "string" ? resultScores[0].name : null;
    for (const sampleName of log.sampleNames) {
      const where = `${name}, entry ${sampleName}`;
      try {
        const sample = await log.readSample(sampleName);
        primary ??= Object.keys(asObject(sample.scores) ?? {})[0] ?? "score";
        records.push(toRecord(sample, task, primary, where));
      } catch (error) {
        if (!(error instanceof ImportError)) throw error;
        bad.report(name, `entry ${sampleName}`, error.message);
      }
    }
    if (log.sampleNames.length === 0) throw new ImportError(`${name} holds no samples; Inspect writes them unless the eval ran with --no-log-samples`);
    records.sort((a, b) => (a.instance_id === b.instance_id ? (a.sample ?? 0) - (b.sample ?? 0) : a.instance_id.localeCompare(b.instance_id, "en", { numeric: true })));
    const reported: Record<string, number> = {};
    // A scorer's mean over samples is the value Inspect reports as its accuracy (or mean) metric.
    for (const score of resultScores) {
      const metrics = asObject(score.metrics) ?? {};
      const value = asObject(metrics.accuracy ?? metrics.mean)?.value;
      if (typeof value === "number") reported[String(score.name)] = value;
    }
    const metricNames = new Set(records.flatMap((r) => Object.keys(r.scores ?? {})));
    const metrics: Record<string, MetricValue> = Object.fromEntries([...metricNames].map((m) => [m, { value: null, se: null, ci: null, n: 0, higher_is_better: true }]));
    const [provider, ...modelPath] = evalSpec.model.split("/");
    const config = asObject(evalSpec.config) ?? {};
    const generate = asObject(evalSpec.model_generate_config) ?? {};
    const taskConfig = { task_version: evalSpec.task_version ?? null, task_args: evalSpec.task_args ?? {}, dataset: evalSpec.dataset ?? null, scorers: evalSpec.scorers ?? null, plan: log.header.plan ?? null };
    const seed = [config.seed, generate.seed].find((s) => typeof s === "number" && s >= 0) as number | undefined;
    return {
      run: {
        model: { name: modelPath.length > 0 ? modelPath.join("/") : provider, provider: modelPath.length > 0 ? provider : null },
        task: {
          name: task,
          variant: null,
          // The dataset's sample list left out: the config as it scores, not which questions ran.
          hash: contentHash({ tool: "inspect", task: evalSpec.task, ...taskConfig, dataset: { name: asObject(evalSpec.dataset)?.name ?? null, location: asObject(evalSpec.dataset)?.location ?? null } }),
          config: taskConfig,
        },
        harness: { name: "inspect_ai", config: { model_generate_config: generate, config, model_args: evalSpec.model_args ?? {}, revision: evalSpec.revision ?? null } },
        source: { kind: "import", tool: `inspect_ai ${asObject(evalSpec.packages)?.inspect_ai ?? "version not recorded"}`, path: name },
        primary_metric: primary ?? "score",
        metrics,
        tags: ["import", "inspect"],
        seed: seed ?? 0,
        notes: log.header.status !== "success" ? `The Inspect log's status is ${String(log.header.status)}: it may hold fewer samples than the task planned.` : null,
      },
      records,
      reported,
      files: [file],
    };
  } finally {
    log.close();
  }
}

/** One run per Inspect log (one task on one model). */
export async function importInspect(files: string[], bad: BadRows): Promise<ImportedRun[]> {
  const runs: ImportedRun[] = [];
  for (const file of files) runs.push(await importLog(file, bad));
  return runs;
}
