import type { Command } from "commander";
import type { LaunchMessage } from "@/lib/launch/messages";
import type { Prepared, RunConfig, RunConfigInput } from "@/lib/runner/launch";
import { resolveWorkspace } from "@/lib/workspace/paths";
import { metricText } from "../format";
import { progressReporter } from "../progress";
import { nonNegativeInt, positiveInt, WORKSPACE_HELP, type Register } from "./options";
import { print, printError } from "../output";

const collect = (value: string, previous: string[]) => [...previous, value];

/** `--data PATH` (the only task) or `--data TASK=PATH`. */
function dataMap(values: string[]): Record<string, string> {
  return Object.fromEntries(values.map((v) => (/^[a-z][\w]*=/.test(v) ? [v.slice(0, v.indexOf("=")), v.slice(v.indexOf("=") + 1)] : ["*", v])));
}

interface RunFlags {
  task: string[];
  model?: string;
  servedModel?: string;
  modelName?: string;
  checkpoint?: string;
  step?: number;
  apiKeyEnv: string;
  harness: string;
  harnessFile?: string;
  override: string[];
  data: string[];
  limit?: number;
  concurrency?: number;
  resume?: boolean;
  dryRun?: boolean;
  seed: number;
  workspace?: string;
  tag: string[];
  experiment?: string;
  attempt?: number;
}

/** The flags as a RunConfig: the same validated object the app uses to launch a run. */
async function toConfig(flags: RunFlags): Promise<RunConfig> {
  const input: RunConfigInput = {
    tasks: flags.task,
    model: {
      endpoint: flags.model ?? "",
      served_model: flags.servedModel ?? null,
      name: flags.modelName ?? null,
      checkpoint: flags.checkpoint ?? null,
      step: flags.step ?? null,
      api_key_env: flags.apiKeyEnv,
    },
    harness: flags.harness,
    harness_file: flags.harnessFile ?? null,
    overrides: flags.override,
    data: dataMap(flags.data),
    limit: flags.limit ?? null,
    concurrency: flags.concurrency ?? null,
    resume: Boolean(flags.resume),
    dry_run: Boolean(flags.dryRun),
    seed: flags.seed,
    workspace: resolveWorkspace(flags.workspace),
    tags: flags.tag,
    experiment: flags.experiment ?? null,
    attempt: flags.attempt ?? null,
  };
  if (!flags.model) throw new Error("name the endpoint with -m, e.g. -m openai:http://127.0.0.1:8000/v1");
  const [{ RunConfig }, { SchemaValidationError }] = await Promise.all([import("@/lib/runner/launch"), import("@/lib/schema")]);
  const parsed = RunConfig.safeParse(input);
  if (!parsed.success) throw new SchemaValidationError("the run configuration", parsed.error);
  return parsed.data;
}

/** The first question ids of a plan, and how many more. */
function questionIds(plan: Prepared["runs"][number]["plan"], shown = 10): string {
  const ids = plan.questions.map((q) => q.question.id);
  return ids.slice(0, shown).join(", ") + (ids.length > shown ? `, ... and ${ids.length - shown} more` : "");
}

/**
 * `--dry-run`: what would run, the sandboxes it would use, the first rendered prompts, and what the
 * endpoint can do (the probe's one-token requests are all it is sent). A task the endpoint cannot
 * run is an error; an endpoint that cannot be reached is only noted.
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
  const model = { name: config.model.name ?? config.model.served_model ?? "<served model>", checkpoint: config.model.checkpoint, step: config.model.step, provider: "openai", endpoint: endpoint.shown };
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
  const probed = await probe(config, prepared, new AbortController().signal).catch((error: Error) => error);
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
  program
    .command("run")
    .description("evaluate a checkpoint served by an OpenAI-compatible endpoint (vLLM, SGLang, llama.cpp, Ollama, ...) on tasks and suites")
    .option("-t, --task <spec>", "task (gsm8k, mmlu:rc, ...) or suite; repeatable", collect, [])
    .option("-m, --model <endpoint>", "endpoint: openai:http://HOST:PORT/v1")
    .option("--served-model <id>", "model id sent in requests (default: the endpoint's only model)")
    .option("--model-name <name>", "model label of the run (default: the served model id)")
    .option("--checkpoint <label>", "checkpoint label, e.g. step-20000")
    .option("--step <n>", "training step, for ordering checkpoints", nonNegativeInt)
    .option("--api-key-env <NAME>", "environment variable holding the API key (the key is never written anywhere)", "OPENAI_API_KEY")
    .option("-H, --harness <name>", "harness preset (`evalbench harnesses` lists them)", "default")
    .option("--harness-file <file>", "JSON file of more harness presets, by name")
    .option("-o, --override <key=value>", "override a task field (fewshot.n=5) or a harness field (harness.concurrency=8); repeatable", collect, [])
    .option("--data <path>", "local copy of the data (file, folder or URL) instead of the hub; TASK=PATH with several tasks; repeatable", collect, [])
    .option("--limit <n>", "at most n questions per task (per subtask for tasks with subtasks)", positiveInt)
    .option("--concurrency <n>", "requests in flight at once (overrides the harness)", positiveInt)
    .option("--resume", "finish the unfinished run these flags name (starts it if it never started)")
    .option("--dry-run", "print the plan (questions, sandboxes), the first rendered prompts and what the endpoint can do (probed with one-token requests); send no question")
    .option("--seed <n>", "seed of the run (sampling seeds)", nonNegativeInt, 1234)
    .option("-w, --workspace <dir>", WORKSPACE_HELP)
    .option("--tag <tag>", "label the runs; repeatable", collect, [])
    .option("--experiment <name>", "group the runs under an experiment name")
    .option("--attempt <n>", "re-run with the same flags as attempt n (2 and up): the runs get new ids ending -r<n>", (v: string) => {
      const n = positiveInt(v);
      if (n < 2) throw new Error("--attempt starts at 2 (the first run has no attempt number)");
      return n;
    })
    .action(async (flags: RunFlags) => {
      const config = await toConfig(flags);
      const [{ prepare, launch }, { LAUNCHER_GONE }, { suiteResults }, { describeMalformed }] = await Promise.all([
        import("@/lib/runner/launch"),
        import("@/lib/runner/run"),
        import("@/lib/runner/suite-results"),
        import("@/lib/runner/data/load"),
      ]);
      const prepared = await prepare(config);
      if (config.dry_run) return printPlan(config, prepared);
      for (const { plan } of prepared.runs) for (const note of [...plan.notes, ...describeMalformed(plan.malformed)]) printError(`evalbench: note: ${plan.task.spec}: ${note}`);

      const controller = new AbortController();
      process.once("SIGINT", () => {
        printError("\nevalbench: stopping after the requests in flight (Ctrl-C again to kill)");
        controller.abort();
        process.once("SIGINT", () => process.exit(130));
      });
      const tell = serverChannel(controller, LAUNCHER_GONE);
      let reporter: ReturnType<typeof progressReporter> | null = null;
      let current = "";
      let toldAt = 0;
      const outcomes = await launch(config, prepared, {
        signal: controller.signal,
        onStart: (run, runId) => {
          current = runId;
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
      for (const line of suiteResults(outcomes.map((o) => o.manifest), config.workspace)) print(line);
      const errored = outcomes.reduce((n, o) => n + o.manifest.counts.errored, 0);
      if (errored > 0) printError(`evalbench: ${errored} question(s) errored (recorded with their error, unscored); --resume does not retry them, a new run does`);
    });
};
