import { readRunColumns } from "@/lib/compare/load-node";
import { runQuestions, type RunQuestions } from "@/lib/compare/run-questions";
import type { RunManifest } from "@/lib/schema";

/** Finished runs' questions by run, content hash and metric: a series page asks for the same runs again and again. */
const cache = new Map<string, Promise<RunQuestions>>();
const CACHE_RUNS = 1000;

/** A run's questions (samples averaged) for one metric; finished runs' are kept for the next request. */
export function readRunQuestions(workspace: string, manifest: RunManifest, metric: string): Promise<RunQuestions> {
  const read = async () => runQuestions(await readRunColumns(workspace, manifest, metric));
  if (!manifest.records) return read(); // open runs change: never cached
  const key = JSON.stringify([workspace, manifest.run_id, manifest.records.sha256, metric]);
  let questions = cache.get(key);
  if (!questions) {
    questions = read();
    questions.catch(() => cache.delete(key));
    if (cache.size >= CACHE_RUNS) cache.delete(cache.keys().next().value!);
    cache.set(key, questions);
  }
  return questions;
}
