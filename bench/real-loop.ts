// The model development loop, end to end on this machine: the tiny llama model is trained for
// several epochs with llama-finetune on a task's own text (MMLU questions rendered by the task's
// template and answered with their letter, from rows the evaluation does not use), each epoch saved
// as a checkpoint, and each checkpoint evaluated by evalbench (mmlu:mc_logprobs) through
// llama-server. The runs stay in a workspace as a checkpoint series (`evalbench series --model
// tiny-loop --task mmlu:mc_logprobs -w DIR`, or the app's series page). Not part of `npm run
// bench` (minutes of training); run it alone: `npx tsx bench/real-loop.ts`.
// LOOP_WORKSPACE keeps the workspace somewhere (default: a temporary folder, printed),
// LOOP_EPOCHS the epochs (3), LOOP_TRAIN the training questions per subject (40).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launch, prepare, RunConfig } from "@/lib/runner/launch";
import { SHARED_DATA } from "@/lib/runner/testing/sim-run";
import { freePort } from "../real-server/free-port";
import { llamaBin, startLlamaServer, tinyModel } from "../real-server/llama";

const EPOCHS = Number(process.env.LOOP_EPOCHS ?? 3);
const TRAIN_PER_SUBJECT = Number(process.env.LOOP_TRAIN ?? 40);
const EVAL_PER_SUBJECT = 8;
const workspace = process.env.LOOP_WORKSPACE ?? fs.mkdtempSync(path.join(os.tmpdir(), "evalbench-loop-"));
const checkpoints = path.join(workspace, "checkpoints");
fs.mkdirSync(checkpoints, { recursive: true });
const mmlu = path.join(SHARED_DATA, "mmlu-subset");
const threads = String(Math.max(1, Math.min(2, os.cpus().length)));

const bin = llamaBin();
const configFor = (limit: number | null, epoch: number, endpoint: string) =>
  RunConfig.parse({
    tasks: ["mmlu:mc_logprobs"],
    model: { endpoint: `openai:${endpoint}`, name: "tiny-loop", checkpoint: `epoch-${epoch}`, step: epoch },
    data: { "*": mmlu },
    limit,
    concurrency: 8,
    overrides: ["fewshot.n=0"],
    workspace,
  });

// The training text: the task's own prompts and answers, from the rows after the evaluated ones.
const { plan } = (await prepare(configFor(EVAL_PER_SUBJECT + TRAIN_PER_SUBJECT, 0, "http://127.0.0.1:1/v1"))).runs[0];
const seen = new Map<string | null, number>();
const training = plan.questions.flatMap((pq) => {
  const nth = seen.get(pq.question.subtask) ?? 0;
  seen.set(pq.question.subtask, nth + 1);
  return nth < EVAL_PER_SUBJECT ? [] : [`${pq.prompt} ${pq.question.target}`];
});
const trainFile = path.join(checkpoints, "train.txt");
fs.writeFileSync(trainFile, training.join("\n\n"));

let model = path.join(checkpoints, "epoch-0.gguf");
fs.copyFileSync(tinyModel(bin), model);
for (let epoch = 0; epoch <= EPOCHS; epoch++) {
  let trainSeconds = 0;
  if (epoch > 0) {
    // one llama-finetune call per epoch, so each epoch is a checkpoint (the optimizer starts afresh each time)
    const next = path.join(checkpoints, `epoch-${epoch}.gguf`);
    const t0 = performance.now();
    execFileSync(path.join(bin, "llama-finetune"), ["-m", model, "-f", trainFile, "-o", next, "-c", "256", "-b", "256", "-ub", "256", "-epochs", "1", "-lr", "1e-3", "-opt", "adamw", "-t", threads], { stdio: ["ignore", "ignore", "ignore"] });
    trainSeconds = (performance.now() - t0) / 1000;
    model = next;
  }
  const server = await startLlamaServer({ bin, model, port: await freePort() });
  try {
    const config = configFor(EVAL_PER_SUBJECT, epoch, server.url);
    const t0 = performance.now();
    const [outcome] = await launch(config, await prepare(config), { signal: new AbortController().signal });
    const m = outcome.manifest;
    const metric = m.metrics.exact_match;
    console.log(
      JSON.stringify({
        bench: "real-loop",
        checkpoint: `epoch-${epoch}`,
        train_bytes: fs.statSync(trainFile).size,
        train_seconds: +trainSeconds.toFixed(1),
        eval_seconds: +((performance.now() - t0) / 1000).toFixed(1),
        questions: m.counts.planned,
        picked: metric.n,
        not_in_top_20: m.counts.done - m.counts.errored - metric.n,
        errored: m.counts.errored,
        exact_match: metric.value === null ? null : +metric.value.toFixed(4),
        ci: metric.ci?.map((v) => +v.toFixed(4)) ?? null,
        run: outcome.runId,
        load_average: +os.loadavg()[0].toFixed(2),
      }),
    );
  } finally {
    await server.stop();
  }
}
console.log(JSON.stringify({ bench: "real-loop", workspace, checkpoints: EPOCHS + 1 }));
