import type { Command } from "commander";
import fs from "node:fs";
import path from "node:path";
import type { CheckpointPoint } from "@/lib/cluster/checkpoint";
import type { LaunchMessage } from "@/lib/launch/messages";
import type { Prepared, RunConfig } from "@/lib/runner/launch";
import { metricText } from "../format";
import { progressReporter } from "../progress";
import { nonNegativeInt, positiveInt, type Register } from "./options";
import { evaluationOptions, servedBy, toConfig, type RunFlags } from "./run-options";
import { print, printError } from "../output";

/** The first question ids of a plan, and how many more. */
function questionIds(plan: Prepared["runs"][number]["plan"], shown = 10): string {
  const ids = plan.questions.map((q) => q.question.id);
  return ids.slice(0, shown).join(", ") + (ids.length > shown ? `, ... and ${ids.length - shown} more` : "");
}

/**
 * `--dry-run`: what would run, the sandboxes it would use, the first rendered prompts, and what the
 * endpoint can do (the probe's one-token requests are all it is sent). A task the endpoint cannot
 * run is an error; an endpoint that cannot be reached is only noted, unless `--check-endpoint`
 * asks for it to answer first.
 */
async function printPlan(config: RunConfig, prepared: Prepared): Promise<void> {
  const [{ runIdFor }, { describeSandboxPlan }, { describeMalformed }, { probe }, { describeCapabilities }] = await Promise.all([
    import("@/lib/runner/run"),
    import("@/lib/runner/sandboxes"),
    import("@/lib/runner/data/load"),
    import("@/lib/runner/launch"),
    import("@/lib/runner/providers/probe"),
  ]);
  const { harness, runs, endpoint } = prepared;
  const checked = config.check_endpoint ? await probe(config, prepared, new AbortController().signal) : null;
  if (checked !== null) print(`endpoint ${endpoint.shown} answers GET /models; questions would go to model ${checked.served}`);
  const model = { name: config.model.name ?? config.model.served_model ?? checked?.served ?? "<served model>", checkpoint: config.model.checkpoint, step: config.model.step, provider: "openai", endpoint: endpoint.shown };
  print(`endpoint ${endpoint.shown}, model ${model.name}${model.checkpoint ? ` ${model.checkpoint}` : ""}; harness ${harness.name} (concurrency ${harness.config.concurrency}, ${harness.config.max_retries} retries, timeout ${harness.config.timeout_ms} ms, scaffold ${harness.config.scaffold}, cache ${harness.config.cache ? "on" : "off"})`);
  for (const { plan, suite, data } of runs) {
    const { task } = plan;
    const subtasks = new Set(plan.questions.map((q) => q.question.subtask)).size;
    const requests = task.config.formulation === "rc" ? plan.questions.length * (task.config.metrics.includes("acc_uncond") ? 2 : 1) : plan.planned;
    print("");
    print(`${task.spec}${suite ? ` (suite ${suite})` : ""} -> run ${runIdFor(task.spec, model, task.hash)}`);
    print(`  ${plan.questions.length} questions${subtasks > 1 ? ` in ${subtasks} subtasks` : ""} x ${plan.samples} sample(s) = ${plan.planned} records, ${requests} requests; ${task.config.formulation}, ${task.config.format}, ${task.config.fewshot.n}-shot; primary metric ${task.config.primary_metric}; task hash ${task.hash}`);
    print(`  questions: ${questionIds(plan)}`);
    print(`  data: ${data ?? `hub ${task.config.data.hub}${task.config.data.hub_config ? ` (${task.config.data.hub_config})` : ""}`} split ${task.config.data.split}`);
    for (const note of [...plan.notes, ...describeMalformed(plan.malformed)]) print(`  note: ${note}`);
    for (const pq of plan.questions.slice(0, 2)) {
      print(`  --- prompt of ${pq.question.id} (target ${JSON.stringify(pq.question.target)}) ---`);
      print(pq.prompt.replace(/^/gm, "  | "));
      if (pq.continuations) print(`  continuations: ${pq.continuations.map((c) => JSON.stringify(c)).join(", ")}`);
    }
  }
  print("");
  for (const line of await describeSandboxPlan(runs.map((r) => r.plan), harness.config, prepared.sandboxes)) print(line);
  print("");
  const probed = checked ?? (await probe(config, prepared, new AbortController().signal).catch((error: Error) => error));
  if (probed instanceof Error) return print(`endpoint not probed: ${probed.message}`);
  for (const line of describeCapabilities(probed.caps)) print(line);
  if (probed.gaps.length > 0) throw new Error(probed.gaps.join("; "));
}

/**
 * When the evalbench server launched this process it opened an IPC channel: progress goes back
 * over it, and the channel closing (the server stopped) ends the runs as interrupted, resumable.
 */
function serverChannel(controller: AbortController, launcherGone: string): ((message: LaunchMessage) => void) | null {
  if (!process.send) return null;
  // the channel must not keep this process alive once the runs are done
  process.channel?.unref();
  process.once("disconnect", () => controller.abort(launcherGone));
  return (message) => {
    if (process.connected) process.send?.(message);
  };
}

/** `evalbench run` */
export const registerRun: Register = (program: Command) => {
  const command = program.command("run");
  evaluationOptions(command)
    .description("evaluate a checkpoint served by an OpenAI-compatible endpoint (vLLM, SGLang, llama.cpp, Ollama, ...) on tasks and suites")
    .option("-m, --model <endpoint>", "endpoint: openai:http://HOST:PORT/v1")
    .option("--checkpoint <label>", "checkpoint label, e.g. step-20000; with --serve, what the server loads (a folder or hub id), the run labelled by its last part")
    .option("--step <n>", "training step, for ordering checkpoints", nonNegativeInt)
    .option("--resume", "finish the unfinished run these flags name (starts it if it never started)")
    .option("--dry-run", "print the plan (questions, sandboxes), the first rendered prompts and what the endpoint can do (probed with one-token requests); send no question")
    .option("--check-endpoint", "with --dry-run: the endpoint must answer the probe (GET /models and one-token requests) before the plan is printed, or the dry run fails; still no question is sent")
    .option("--attempt <n>", "re-run with the same flags as attempt n (2 and up): the runs get new ids ending -r<n>", (v: string) => {
      const n = positiveInt(v);
      if (n < 2) throw new Error("--attempt starts at 2 (the first run has no attempt number)");
      return n;
    })
    .option("--series <file>", "a checkpoint series: one line per checkpoint, CHECKPOINT STEP [SERVED_MODEL] (with --serve, CHECKPOINT is what the server loads)")
    .action(async (flags: RunFlags) => {
      const [{ freePort }, { forCheckpoint, readSeries }] = await Promise.all([import("@/lib/cluster/serve"), import("@/lib/cluster/checkpoint")]);
      if (flags.series && (flags.checkpoint !== undefined || flags.step !== undefined)) throw new Error("--series lists the checkpoints with their steps; drop --checkpoint and --step");
      const slurmFlags = ["partition", "gres", "time", "account"].filter((k) => flags[k as keyof RunFlags] !== undefined).map((k) => `--${k}`);
      if (flags.executor !== "slurm" && (slurmFlags.length > 0 || flags.slurmOpt.length > 0)) throw new Error(`${[...slurmFlags, ...(flags.slurmOpt.length ? ["--slurm-opt"] : [])].join(", ")} set(s) where a Slurm job runs: add --executor slurm`);
      const points = flags.series ? readSeries(flags.series) : [{ checkpoint: flags.checkpoint ?? null, step: flags.step ?? null, served_model: flags.servedModel ?? null }];
      const served = await servedBy(flags);
      if (served && flags.dryRun) print(`model server per checkpoint: ${served.serve.command} (from ${served.from}${served.from === "--serve" ? "" : "; --serve would replace it"}), given ${served.serve.timeout_s} s to answer`);
      const config = await toConfig(flags, served && { ...served, port: await freePort() });
      if (flags.executor === "slurm") return submitToSlurm(config, points, flags);
      for (const point of points) await runHere(forCheckpoint(config, point));
    });
};

/** `--executor slurm`: checked here (tasks, overrides, checkpoint folders), then one job array for the series. */
async function submitToSlurm(config: RunConfig, points: CheckpointPoint[], flags: RunFlags): Promise<void> {
  const [{ prepare }, { checkCheckpointFolder, forCheckpoint }, { submitSeries }, { checkSlurmOption }, { checkWorkspaceReachable }] = await Promise.all([
    import("@/lib/runner/launch"),
    import("@/lib/cluster/checkpoint"),
    import("@/lib/cluster/submit"),
    import("@/lib/cluster/slurm"),
    import("@/lib/workspace/s3/reachable"),
  ]);
  for (const option of flags.slurmOpt) checkSlurmOption(option);
  for (const point of points) checkCheckpointFolder(forCheckpoint(config, point));
  // a job would fail on its node if the bucket does not answer: say so here, before anything is queued
  await checkWorkspaceReachable(config.workspace);
  await prepare(forCheckpoint(config, points[0]));
  if (config.dry_run) return print(`would submit a job array of ${points.length} job(s) to Slurm`);
  const jobs = await submitSeries(config, points, { partition: flags.partition ?? null, gres: flags.gres ?? null, time: flags.time ?? null, account: flags.account ?? null, extra: flags.slurmOpt }, { node: process.execPath, script: fs.realpathSync(process.argv[1]) });
  for (const job of jobs) print(`${job.id}  queued  ${job.checkpoint ?? "-"}${job.step === null ? "" : ` step ${job.step}`}  ${job.tasks.join(",")}  log ${job.log}`);
  print(`submitted ${jobs.length} job(s) as Slurm array ${jobs[0].id.split("_")[0]}; the app's runs page shows them live, squeue -r too`);
}

/** How long a server's exit waits for this process's own stop signal before it fails the run. */
const SERVER_EXIT_GRACE_MS = 1000;

/** One checkpoint's runs in this process (the local executor, and each Slurm job), with its model server when --serve. */
async function runHere(config: RunConfig): Promise<void> {
  const [{ prepare, launch }, { LAUNCHER_GONE }, { suiteResults }, { describeMalformed }, { startModelServer }, { checkCheckpointFolder }, { clusterDirs, currentSlurmJob, reportFromJob }, { localWorkspace }] = await Promise.all([
    import("@/lib/runner/launch"),
    import("@/lib/runner/run"),
    import("@/lib/runner/suite-results"),
    import("@/lib/runner/data/load"),
    import("@/lib/cluster/serve"),
    import("@/lib/cluster/checkpoint"),
    import("@/lib/cluster/jobs"),
    import("@/lib/workspace/s3/local"),
  ]);
  const prepared = await prepare(config);
  if (config.dry_run) return printPlan(config, prepared);
  for (const { plan } of prepared.runs) for (const note of [...plan.notes, ...describeMalformed(plan.malformed)]) printError(`evalbench: note: ${plan.task.spec}: ${note}`);
  const slurmJob = currentSlurmJob();

  const controller = new AbortController();
  process.once("SIGINT", () => {
    printError("\nevalbench: stopping after the requests in flight (Ctrl-C again to kill)");
    controller.abort();
    process.once("SIGINT", () => process.exit(130));
  });
  // scancel (and a job's time limit) sends SIGTERM: stop the same way, keeping what is recorded
  process.once("SIGTERM", () => controller.abort());
  let server: Awaited<ReturnType<typeof startModelServer>> | null = null;
  if (config.serve) {
    checkCheckpointFolder(config);
    const log = path.join(clusterDirs(config.workspace).logs, slurmJob ? `${slurmJob}.serve.log` : `serve-${config.model.checkpoint ?? "model"}-${new Date().toISOString().replace(/[:.]/g, "-")}.log`);
    if (slurmJob) reportFromJob(config.workspace, slurmJob, { serveLog: log });
    printError(`evalbench: starting the model server (log ${log})`);
    server = await startModelServer({ command: config.serve.command, checkpoint: config.serve.checkpoint, port: Number(new URL(prepared.endpoint.baseURL).port), log, timeoutMs: config.serve.timeout_s * 1000 });
  }
  // A cancelled job's server gets the job's SIGTERM too: its exit is part of the cancel, not an error.
  const stop = new AbortController();
  controller.signal.addEventListener("abort", () => stop.abort(controller.signal.reason));
  const died = server?.died;
  died?.addEventListener("abort", () => setTimeout(() => stop.abort(died.reason), SERVER_EXIT_GRACE_MS).unref());
  const signal = stop.signal;
  const tell = serverChannel(controller, LAUNCHER_GONE);
  let reporter: ReturnType<typeof progressReporter> | null = null;
  let current = "";
  let toldAt = 0;
  let outcomes;
  try {
    outcomes = await launch(config, prepared, {
      signal,
      onStart: (run, runId) => {
        current = runId;
        if (slurmJob) reportFromJob(config.workspace, slurmJob, { run: runId });
        reporter = progressReporter(`${run.plan.task.spec} ${runId}`);
        tell?.({ type: "start", runId, spec: run.plan.task.spec });
      },
      onProgress: (_run, progress) => {
        reporter?.update(progress);
        // a few messages a second are enough for a progress bar
        if (Date.now() - toldAt < 250 && progress.done < progress.total) return;
        toldAt = Date.now();
        tell?.({ type: "progress", runId: current, progress });
      },
      onDone: (run, outcome) => {
        reporter?.done();
        reporter = null;
        tell?.({ type: "done", runId: outcome.runId, status: outcome.manifest.status });
        const m = outcome.manifest;
        const primary = m.metrics[m.primary_metric];
        const state = outcome.alreadyComplete ? "already complete" : m.status;
        const k = run.plan.task.config.mc_top_logprobs;
        // mc by log-probabilities leaves a question unscored, not wrong, when no letter is in the top k.
        const notInTop = k === undefined ? "" : `  not in the top ${k}: ${m.counts.done - m.counts.errored - (primary?.n ?? 0)}/${m.counts.planned}`;
        print(`${m.run_id}  ${state}  ${run.plan.task.spec}  ${m.primary_metric} ${metricText(primary?.value ?? null, primary?.se ?? null)}  n ${primary?.n ?? 0}${notInTop}  errored ${m.counts.errored}/${m.counts.planned}`);
      },
    });
  } finally {
    await server?.stop();
  }
  for (const line of await suiteResults(outcomes.map((o) => o.manifest), localWorkspace(config.workspace))) print(line);
  const errored = outcomes.reduce((n, o) => n + o.manifest.counts.errored, 0);
  if (errored > 0) printError(`evalbench: ${errored} question(s) errored (recorded with their error, unscored); --resume does not retry them, a new run does`);
}
