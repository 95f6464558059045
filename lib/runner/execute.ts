import { setMaxListeners } from "node:events";
import type { QuestionRecordInput } from "@/lib/schema";
import type { TranscriptEntry } from "@/lib/schema/transcript";
import { combineNeeds } from "@/lib/sandbox/capabilities";
import type { Lease } from "@/lib/sandbox/pool";
import type { SandboxRouter } from "@/lib/sandbox/router";
import type { RunWriter } from "@/lib/workspace/run-writer";
import type { HarnessConfig } from "./harness";
import type { PlannedQuestion, TaskPlan } from "./plan";
import { FatalRequestError, withRetries } from "./providers/errors";
import type { LikelihoodRequest, Provider } from "./providers/types";
import { SCAFFOLDS } from "./scaffolds";
import type { ScaffoldContext, ScaffoldResult } from "./scaffolds/types";
import { runCodeTests, type TestEntry } from "./scorers/code-tests";
import { judgeAnswer, type Judge, type JudgeEntry } from "./scorers/judge";
import { describeLetters, letterLogprobs, scoreLetters } from "./scorers/next-token";
import type { ChoiceLikelihood } from "./scorers/rc";
import { scoreChoices, scoreGenerations } from "./scorers/score";
import { getTool } from "./tools/registry";

export interface Progress {
  /** Records written in this session, of `total` to write. */
  done: number;
  total: number;
  errored: number;
  /** Records the run already had (resumed). */
  already: number;
}

export interface ExecuteOptions {
  plan: TaskPlan;
  provider: Provider;
  harness: HarnessConfig;
  writer: RunWriter;
  /** Seed of the run: sample i of a question is requested with seed + i when sampling. */
  seed: number;
  /** Cancels the run (Ctrl-C): requests in flight are dropped, nothing more is sent. */
  signal: AbortSignal;
  /** Sandboxes for tools and code tests; null when the run needs none. */
  sandboxes: SandboxRouter | null;
  /** The harness's judge model, for tasks scored by a judge. */
  judge: Judge | null;
  onProgress?: (progress: Progress) => void;
}

/** At most `limit` calls at once. */
function limiter(limit: number): <T>(call: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (call) => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
    try {
      return await call();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
}

/** Several gold answers (SQuAD) are stored joined, so `rescore` can accept any of them. */
export const TARGET_SEPARATOR = " || ";
const recordTarget = (q: { target: string; aliases?: string[] }) => [q.target, ...(q.aliases ?? [])].join(TARGET_SEPARATOR);

const recordKey = (instanceId: string, sample: number) => `${instanceId}\u0000${sample}`;

type Row = Omit<QuestionRecordInput, "run_id">;

/** One sample's answer, or why it has none (the error of a failed request, tool or test run). */
interface Outcome {
  sample: number;
  started: Date;
  latency: number;
  result: ScaffoldResult | null;
  error: string | null;
}

/**
 * Sends every question the run has not recorded yet through the harness's scaffold and provider,
 * with bounded concurrency and retries, scores it and appends its records. A question whose
 * requests fail after the retries is recorded with its error and no score; a fatal refusal
 * (length, auth, unknown model) stops the run by throwing FatalRequestError.
 */
export async function executeTask({ plan, provider, harness, writer, seed, signal, sandboxes, judge, onProgress }: ExecuteOptions): Promise<Progress> {
  const { config } = plan.task;
  const abort = new AbortController();
  const stop = AbortSignal.any([signal, abort.signal]);
  // Every request, sandbox execution and sandbox wait in flight listens to it: with the harness's
  // concurrency that is legitimately more than Node's default warning threshold of 10.
  setMaxListeners(0, stop);
  const send = limiter(harness.concurrency);
  const policy = { maxRetries: harness.max_retries, backoffMs: harness.backoff_ms };
  const request = <T>(call: () => Promise<T>) => send(() => withRetries(call, policy, stop, provider.endpoint));
  const scaffold = SCAFFOLDS[harness.scaffold];
  const tools = harness.scaffold === "agent" ? harness.tools.map(getTool) : [];
  const toolNeeds = tools.flatMap((t) => (t.needs ? [t.needs] : []));
  const limits = { timeout_ms: harness.sandbox.timeout_ms, memory_mb: harness.sandbox.memory_mb, processes: harness.sandbox.processes, disk_mb: harness.sandbox.disk_mb };
  const needSandbox = () => {
    if (!sandboxes) throw new Error("the runner was given no sandboxes, yet this run needs one (a bug: launch plans them from the tasks and tools)");
    return sandboxes;
  };

  /** One sample through the scaffold; its tools share one sandbox, opened on first use and released after. */
  async function ask(call: Parameters<typeof scaffold.run>[0]): Promise<ScaffoldResult> {
    let lease: Promise<Lease> | null = null;
    const context: ScaffoldContext = {
      provider,
      signal: stop,
      send: request,
      tools,
      sandbox: () => (lease ??= needSandbox().acquire(combineNeeds(toolNeeds), stop)),
      budget: harness.agent,
    };
    try {
      return await scaffold.run(call, context);
    } finally {
      if (lease) await (await (lease as Promise<Lease>).catch(() => null))?.release();
    }
  }

  const missingSamples = (pq: PlannedQuestion) => Array.from({ length: plan.samples }, (_, i) => i).filter((s) => !writer.recorded.has(recordKey(pq.question.id, s)));
  const pending = plan.questions.map((pq) => ({ pq, samples: missingSamples(pq) })).filter((p) => p.samples.length > 0);
  const progress: Progress = { done: 0, total: pending.reduce((n, p) => n + p.samples.length, 0), errored: 0, already: plan.planned - pending.reduce((n, p) => n + p.samples.length, 0) };
  // told at once, so a resumed run shows what it had and what is left before its first answer
  onProgress?.(progress);
  let fatal: FatalRequestError | null = null;

  const base = (pq: PlannedQuestion): Row => ({
    task: plan.task.name,
    subtask: pq.question.subtask,
    instance_id: pq.question.id,
    instance_hash: pq.instanceHash,
    cluster_id: pq.question.cluster,
    prompt: pq.prompt,
    target: recordTarget(pq.question),
  });

  async function generate(pq: PlannedQuestion, samples: number[]): Promise<Row[]> {
    const outcomes = await Promise.all(
      samples.map(async (sample): Promise<Outcome> => {
        const started = new Date();
        const t0 = performance.now();
        const sampling = { temperature: config.sampling.temperature, top_p: config.sampling.top_p, max_tokens: config.sampling.max_tokens, stop: config.sampling.stop };
        const call = { rendered: pq.rendered, ...sampling, seed: plan.samples > 1 ? seed + sample : null };
        try {
          const result = await ask(call);
          return { sample, started, latency: performance.now() - t0, result, error: null };
        } catch (error) {
          if (error instanceof FatalRequestError) throw error;
          return { sample, started, latency: performance.now() - t0, result: null, error: (error as Error).message };
        }
      }),
    );
    const tests = plan.task.definition.testProgram ? await testAll(pq, outcomes) : null;
    const verdicts = config.metrics.includes("judge") ? await judgeAll(pq, outcomes) : null;
    const answered = outcomes.filter((o) => o.result !== null && o.error === null);
    // pass@k over the samples that were answered; with fewer than k of them it is undefined (null).
    const canScore = !config.metrics.includes("pass_at_k") || answered.length >= config.pass_k;
    const passed = tests ? answered.map((o) => tests.get(o.sample)!.passed) : undefined;
    const judged = verdicts ? answered.map((o) => verdicts.get(o.sample)!.score) : undefined;
    const scored = canScore ? scoreGenerations(config, pq.question, answered.map((o) => o.result!.text), { passed, judge: judged }) : null;
    return outcomes.map((o) => {
      const row: Row = { ...base(pq), sample: o.sample, started_at: o.started.toISOString(), latency_ms: Math.round(o.latency) };
      if (o.result === null) return { ...row, error: o.error };
      const verdictsOf = [tests?.get(o.sample), verdicts?.get(o.sample)].filter((e): e is TestEntry | JudgeEntry => e !== undefined);
      const transcript: TranscriptEntry[] | null = verdictsOf.length > 0 ? [...(o.result.transcript ?? []), ...verdictsOf] : o.result.transcript;
      const usage = { response: o.result.text, transcript, input_tokens: o.result.input_tokens, output_tokens: o.result.output_tokens };
      if (o.error !== null) return { ...row, ...usage, error: o.error };
      const s = scored?.[answered.indexOf(o)];
      return {
        ...row,
        extracted: s?.extracted ?? null,
        score: s?.score ?? null,
        scores: s?.scores ?? {},
        ...usage,
      };
    });
  }

  /** Asks the judge about every answered sample; a judge that cannot be reached errors that sample. */
  async function judgeAll(pq: PlannedQuestion, outcomes: Outcome[]): Promise<Map<number, JudgeEntry>> {
    if (!judge) throw new Error(`${plan.task.spec} is scored by a judge, and the harness names none (a bug: prepare checks this)`);
    const entries = new Map<number, JudgeEntry>();
    await Promise.all(
      outcomes.map(async (o) => {
        if (o.result === null || o.error !== null) return;
        try {
          entries.set(o.sample, await judgeAnswer(judge, config.judge_rubric!, pq.question, o.result.text, request, stop));
        } catch (error) {
          if (error instanceof FatalRequestError) throw new FatalRequestError(`the judge ${judge.name}: ${error.message}`);
          o.error = `the judge ${judge.name} could not grade it: ${(error as Error).message}`;
        }
      }),
    );
    return entries;
  }

  /**
   * Runs the task's tests on every answered sample, in parallel sandboxes. A sandbox that cannot
   * start makes that sample an errored question (unscored), never a failed one.
   */
  async function testAll(pq: PlannedQuestion, outcomes: Outcome[]): Promise<Map<number, TestEntry>> {
    const entries = new Map<number, TestEntry>();
    await Promise.all(
      outcomes.map(async (o) => {
        if (o.result === null) return;
        try {
          entries.set(o.sample, await runCodeTests(plan.task.definition, config, pq.question, o.result.text, needSandbox(), limits, stop));
        } catch (error) {
          o.error = `could not run the tests: ${(error as Error).message}`;
        }
      }),
    );
    return entries;
  }

  /** A question answered by one scoring exchange (no samples): its record, or its error, timed. */
  async function scoredOnce(pq: PlannedQuestion, answer: () => Promise<Partial<Row>>): Promise<Row[]> {
    const started = new Date();
    const t0 = performance.now();
    const row: Row = { ...base(pq), sample: 0, started_at: started.toISOString() };
    try {
      return [{ ...row, ...(await answer()), latency_ms: Math.round(performance.now() - t0) }];
    } catch (error) {
      if (error instanceof FatalRequestError) throw error;
      return [{ ...row, error: (error as Error).message, latency_ms: Math.round(performance.now() - t0) }];
    }
  }

  const rankChoices = (pq: PlannedQuestion) =>
    scoredOnce(pq, async () => {
      const conts = pq.continuations ?? [];
      const context = pq.rendered.kind === "completion" ? pq.rendered.prompt : pq.prompt;
      const conditional = await request(() => provider.loglikelihoods(conts.map((continuation): LikelihoodRequest => ({ context, continuation })), stop));
      const uncond = config.metrics.includes("acc_uncond")
        ? await request(() => provider.loglikelihoods(conts.map((continuation) => ({ context: config.uncond_context, continuation })), stop))
        : null;
      const choices: ChoiceLikelihood[] = conts.map((continuation, i) => ({ continuation, logprob: conditional[i].logprob, tokens: conditional[i].tokens, uncond: uncond?.[i].logprob ?? null }));
      const gold = pq.question.gold;
      const scored = scoreChoices(config, pq.question, choices);
      return {
        response: choices.map((c, i) => `${c.continuation === scored.extracted ? "*" : " "} ${String.fromCharCode(65 + i)} ${c.logprob.toFixed(4)} (${c.tokens} tok)${c.uncond === null ? "" : ` uncond ${c.uncond.toFixed(4)}`}:${c.continuation}`).join("\n"),
        extracted: scored.extracted,
        score: scored.score,
        scores: scored.scores,
        // Kept so `rescore` can rank the choices again under any normalisation.
        transcript: choices.map((c, i) => ({ ...c, gold: i === gold })),
        input_tokens: (conditional.input_tokens ?? 0) + (uncond?.input_tokens ?? 0) || null,
        output_tokens: null,
      };
    });

  /** mc by log-probabilities: the likeliest answer letter among the next token's top k. */
  const pickByNextToken = (pq: PlannedQuestion) =>
    scoredOnce(pq, async () => {
      const k = config.mc_top_logprobs!;
      const next = await request(() => provider.nextToken({ prompt: pq.prompt, top: k }, stop));
      const letters = letterLogprobs(next.top, pq.question);
      const scored = scoreLetters(config, letters);
      // The letters' log-probabilities are kept so `rescore` can pick again without the model.
      return { response: describeLetters(letters, next.top, k), extracted: scored.extracted, score: scored.score, scores: scored.scores, transcript: letters, input_tokens: next.input_tokens, output_tokens: null };
    });

  const answer = (pq: PlannedQuestion, samples: number[]) => (config.formulation === "rc" ? rankChoices(pq) : config.mc_top_logprobs !== undefined ? pickByNextToken(pq) : generate(pq, samples));

  let next = 0;
  async function worker(): Promise<void> {
    while (!stop.aborted && next < pending.length) {
      const { pq, samples } = pending[next++];
      try {
        const rows = await answer(pq, samples);
        // A question cut off by cancellation or a fatal error is not recorded: a resume asks again.
        if (stop.aborted) return;
        for (const row of rows) {
          writer.append(row);
          progress.done += 1;
          if (row.error) progress.errored += 1;
        }
        onProgress?.(progress);
      } catch (error) {
        abort.abort();
        if (!(error instanceof FatalRequestError)) throw error;
        fatal ??= error;
      }
    }
  }

  const workers = Array.from({ length: Math.min(harness.concurrency, Math.max(1, pending.length)) }, worker);
  const results = await Promise.allSettled(workers);
  const crashed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (crashed) throw crashed.reason;
  if (fatal) throw fatal;
  return progress;
}
