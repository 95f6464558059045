// The run every benchmark writes its records into.
import fs from "node:fs";
import path from "node:path";
import { mulberry32 } from "@/lib/stats/rng";
import { RunWriter } from "@/lib/workspace/run-writer";
import { forgetCompareFile } from "@/lib/workspace/testing/fixtures";

/** The manifest fields of a bench run: what differs from one bench to another is passed in. */
export function benchRun(runId: string, planned: number, model: { checkpoint?: string; step?: number } = {}) {
  return {
    run_id: runId,
    model: { name: "bench", checkpoint: model.checkpoint ?? null, step: model.step ?? null },
    task: { name: "bench", hash: "bench" },
    harness: { name: "bench" },
    seed: 0,
    primary_metric: "exact_match",
    source: { kind: "run" as const },
    counts: { planned },
  };
}

/**
 * CPU seconds used so far by each thread of this process (Linux only, else empty). On a shared
 * machine they show what the wall clock cannot: how long the writing thread and the Parquet
 * encoder thread would each take with a core to themselves.
 */
export function threadsCpuSeconds(): Map<string, number> {
  const threads = new Map<string, number>();
  const tasks = "/proc/self/task";
  if (!fs.existsSync(tasks)) return threads;
  for (const tid of fs.readdirSync(tasks)) {
    // Fields after "pid (comm) ": utime and stime are the 12th and 13th, in clock ticks (100/s).
    const fields = fs.readFileSync(path.join(tasks, tid, "stat"), "utf8").split(") ")[1].split(" ");
    threads.set(tid, (Number(fields[11]) + Number(fields[12])) / 100);
  }
  return threads;
}

/** Text that compresses like prose, not like one sentence repeated. */
export function prose(seed: number, bytes: number): string {
  const words = ["model", "answer", "step", "therefore", "value", "the", "of", "is", "we", "compute", "sum", "total", "each", "question", "result", "so"];
  let state = seed * 2654435761;
  let text = "";
  while (text.length < bytes) {
    state = (state * 1103515245 + 12345) >>> 0;
    text += `${words[state % words.length]}${state % 7 === 0 ? ". " : " "}`;
  }
  return text.slice(0, bytes);
}

/**
 * One of the compare benches' two runs: 0/1 scores, 20 subtasks, 1,000 clusters, prose text; B
 * (candidate false) is A with a few answers flipped each way, as two checkpoints of one model are.
 */
export function writeComparedRun(workspace: string, runId: string, records: number, candidate: boolean): void {
  const writer = RunWriter.create(workspace, benchRun(runId, records, { checkpoint: candidate ? "a" : "b", step: candidate ? 2 : 1 }));
  for (let i = 0; i < records; i++) {
    const right = (i * 7919) % 100 < 62;
    const score = candidate ? Number(right) : i % 9 === 0 ? 0 : i % 13 === 0 ? 1 : Number(right);
    writer.append({
      task: "bench",
      subtask: `sub${i % 20}`,
      instance_id: `q${String(i).padStart(6, "0")}`,
      instance_hash: `h${i}`,
      cluster_id: `c${Math.floor(i / 100)}`,
      prompt: `Question ${i}: ${prose(i, 200)}`,
      response: prose(i * 2 + Number(candidate), 300),
      target: String(i),
      extracted: String(score ? i : i + 1),
      score,
      scores: { exact_match: score },
    });
  }
  const manifest = writer.finalize();
  if (process.env.BENCH_WITHOUT_COMPARE_FILE === "1") forgetCompareFile(workspace, manifest.run_id);
}

/**
 * One checkpoint's run of a training line: each question right with the line's accuracy at that
 * step (rising to `lastStep`; a later line, `line`, a little higher); most questions keep their
 * luck across checkpoints, as a model's answers do.
 */
export function writeCheckpointRun(workspace: string, runId: string, { model, line, task, step, lastStep, questions }: { model: string; line: number; task: string; step: number; lastStep: number; questions: number }): void {
  const accuracy = 0.3 + (0.4 * step) / lastStep + 0.03 * line;
  const own = mulberry32(step * 31 + line * 7 + task.length);
  const writer = RunWriter.create(workspace, {
    run_id: runId,
    model: { name: model, checkpoint: `step-${step}`, step },
    task: { name: task, hash: task },
    harness: { name: "bench" },
    seed: 0,
    primary_metric: "exact_match",
    source: { kind: "run" },
    counts: { planned: questions },
  });
  for (let i = 0; i < questions; i++) {
    const shared = mulberry32(i * 2654435761 + task.length)();
    const luck = own() < 0.8 ? shared : own();
    const score = luck < accuracy ? 1 : 0;
    writer.append({ task, instance_id: `q${i}`, instance_hash: `h${i}`, prompt: `Question ${i} of ${task}`, response: `answer ${score ? i : i + 1}`, target: String(i), extracted: String(score ? i : i + 1), score, scores: { exact_match: score } });
  }
  writer.finalize();
}
