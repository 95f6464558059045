// Import throughput: a 12,000-question source with about 20 MB of text, as a JSONL table mapped by
// SQL (into a folder, and into a bucket of a real S3 API server, s3rver, in its own process on
// loopback) and as lm-eval --log_samples output, then the real MMLU-Pro zip from shared data when
// present. Each case runs importPaths end to end (read, map, write runs, finalize Parquet, and for
// the bucket upload them as `run` does) into a fresh workspace. Prints one JSON line per case:
// figures only, never pass/fail on time.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { importPaths, type ImportOptions } from "@/lib/importers";
import { SHARED_DATA } from "@/lib/importers/testing";
import { startS3Server } from "@/lib/s3/testing/s3-server";

const QUESTIONS = Number(process.env.BENCH_QUESTIONS ?? 12_000);
const TEXT_BYTES = 20_000_000;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "evalbench-bench-import-"));
const s3 = await startS3Server(["bench"]);
// the bucket's local mirror, with the rest
process.env.XDG_CACHE_HOME = dir;
const filler = "Let me think step by step about the question and check each option carefully. ".repeat(60);
const perQuestion = Math.floor(TEXT_BYTES / QUESTIONS);
const text = (i: number, share: number) => `${i} ${filler.slice(0, Math.floor(perQuestion * share))}`;

function writeTable(): string {
  const file = path.join(dir, "outputs.jsonl");
  const lines = Array.from({ length: QUESTIONS }, (_, i) =>
    JSON.stringify({ question_id: i, question: text(i, 0.25), generated_text: text(i, 0.75), answer: "ABCD"[i % 4], pred: "ABCD"[(i * 7) % 4], category: `c${i % 14}` }),
  );
  fs.writeFileSync(file, lines.join("\n"));
  return file;
}

function writeLmEval(): string {
  const out = path.join(dir, "lm-eval");
  fs.mkdirSync(out);
  const time = "2026-01-01T00-00-00.000000";
  const lines = Array.from({ length: QUESTIONS }, (_, i) => {
    const answer = String(i % 10);
    return JSON.stringify({
      doc_id: i, doc: { question: text(i, 0.25), answer }, target: answer,
      arguments: { gen_args_0: { arg_0: `Question: ${i}\nAnswer:`, arg_1: { until: ["\n"] } } },
      resps: [[text(i, 0.75)]], filtered_resps: [String((i * 3) % 10)], filter: "strict-match", metrics: ["exact_match"], exact_match: (i * 3) % 10 === i % 10 ? 1 : 0,
    });
  });
  fs.writeFileSync(path.join(out, `samples_synthetic_${time}.jsonl`), lines.join("\n"));
  fs.writeFileSync(path.join(out, `results_${time}.json`), JSON.stringify({
    results: { synthetic: {} }, configs: { synthetic: { task: "synthetic", metric_list: [{ metric: "exact_match" }], filter_list: [{ name: "strict-match" }] } },
    config: { model: "hf", model_args: "pretrained=bench" }, "n-samples": { synthetic: { effective: QUESTIONS } }, lm_eval_version: "0.4.9",
  }));
  return out;
}

async function measure(name: string, source: string, options: ImportOptions, workspace = fs.mkdtempSync(path.join(dir, "ws-"))): Promise<void> {
  const bytes = fs.statSync(source).isDirectory() ? fs.readdirSync(source).reduce((sum, f) => sum + fs.statSync(path.join(source, f)).size, 0) : fs.statSync(source).size;
  const start = performance.now();
  const { created } = await importPaths(workspace, [source], options);
  const ms = performance.now() - start;
  const records = created.reduce((sum, m) => sum + m.counts.done, 0);
  console.log(JSON.stringify({ bench: "import", case: name, questions: records, source_mb: +(bytes / 1e6).toFixed(1), ms: Math.round(ms), questions_per_s: Math.round(records / (ms / 1000)) }));
}

try {
  const table = writeTable();
  const mapping: ImportOptions = { table: { id: "question_id", score: "pred = answer", response: "generated_text", target: "answer", prompt: "question", subtask: "category" }, modelName: "bench" };
  await measure("table-jsonl", table, mapping);
  await measure("table-jsonl-to-bucket", table, mapping, "s3://bench/import");
  await measure("lm-eval", writeLmEval(), {});
  const mmluPro = path.join(SHARED_DATA, "mmlu-pro-mistral-7b-v0.1-vs-v0.2", "model_outputs_Mistral-7B-v0.1_5shots.zip");
  if (fs.existsSync(mmluPro)) {
    await measure("mmlu-pro-zip", mmluPro, { table: { id: "question_id", score: "coalesce(pred = answer, false)", response: "generated_text", target: "answer", prompt: "question", subtask: "category", cluster: "src" }, modelName: "Mistral-7B-v0.1" });
  }
} finally {
  s3.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
