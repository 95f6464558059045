import fs from "node:fs";
import path from "node:path";
import type { RunManifest } from "@/lib/schema";
import type { SandboxRouter } from "@/lib/sandbox/router";
import { contentHash } from "@/lib/schema/hash";
import { isS3Url } from "@/lib/s3/location";
import { DiskFullError } from "@/lib/workspace/disk-full";
import { readManifest } from "@/lib/workspace/manifest-file";
import { runDir } from "@/lib/workspace/paths";
import { RunWriter, type WriterOptions } from "@/lib/workspace/run-writer";
import { S3RunSync } from "@/lib/workspace/s3/run-sync";
import { describeMalformed } from "./data/load";
import { executeTask, type Progress } from "./execute";
import type { ResolvedHarness } from "./harness";
import type { TaskPlan } from "./plan";
import { FatalRequestError } from "./providers/errors";
import type { Provider } from "./providers/types";
import type { Judge } from "./scorers/judge";
import { declaredMetrics, metricKey } from "./scorers/score";

export interface ModelLabel {
  name: string;
  checkpoint: string | null;
  step: number | null;
  provider: string;
  /** Base URL without credentials or query. */
  endpoint: string | null;
}

const slug = (text: string) => text.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^[^A-Za-z0-9]+/, "").slice(0, 60);

/**
 * Stable, URL-safe run id from the task spec, the model and the checkpoint, plus a short hash that
 * also covers the task config: `--resume` with the same flags finds the same run, and a changed
 * `-o` starts a different one.
 */
export function runIdFor(spec: string, model: ModelLabel, taskHash: string): string {
  const parts = [slug(spec.replace(":", "_")), slug(model.name), model.checkpoint ? slug(model.checkpoint) : null].filter(Boolean);
  return `${parts.join("-")}-${contentHash({ spec, model: model.name, checkpoint: model.checkpoint, taskHash }).slice(0, 6)}`;
}

/**
 * The abort reason of a run whose launcher went away (the evalbench server that started it
 * stopped): the run ends interrupted rather than cancelled, and Resume finishes it.
 */
export const LAUNCHER_GONE = "launcher-gone";

/** An abort reason that fails the run with its message (a model server that died), where a plain abort cancels it. */
export class RunFailure extends Error {}

export interface RunTaskOptions {
  workspace: string;
  plan: TaskPlan;
  harness: ResolvedHarness;
  provider: Provider;
  model: ModelLabel;
  suite: string | null;
  seed: number;
  resume: boolean;
  signal: AbortSignal;
  runId?: string;
  tags?: string[];
  experiment?: string | null;
  /** Extra manifest notes (the demo states its true effect here). */
  notes?: string | null;
  sourceKind?: "run" | "demo";
  writerOptions?: WriterOptions;
  /** Sandboxes for code tests and tools, when the task or harness needs them. */
  sandboxes?: SandboxRouter | null;
  /** The harness's judge model, when the task is scored by one. */
  judge?: Judge | null;
  onProgress?: (progress: Progress) => void;
  /** Called once the run is open, with its id, before any request. */
  onStart?: (runId: string) => void;
}

export interface RunOutcome {
  runId: string;
  manifest: RunManifest;
  /** The run was complete already; nothing was sent. */
  alreadyComplete: boolean;
  progress: Progress | null;
}

/** Opens the run: a new one, or the unfinished one `--resume` names (a run never started is simply started). */
function openWriter(options: RunTaskOptions, runId: string, shown: string): RunWriter | RunManifest {
  const { workspace, plan, harness, model, resume } = options;
  const dir = runDir(workspace, runId);
  if (fs.existsSync(path.join(dir, "run.json"))) {
    const existing = readManifest(dir);
    if (!resume) throw new Error(`run ${runId} already exists (${existing.status}, ${existing.counts.done}/${existing.counts.planned} recorded); pass --resume to finish it, or delete ${shown} to start over`);
    if (existing.status === "complete") return existing;
    if (existing.task.hash !== plan.task.hash) throw new Error(`run ${runId} was started with another config of ${plan.task.spec} (task hash ${existing.task.hash}, now ${plan.task.hash}); resume it with the same -o options`);
    return RunWriter.resume(workspace, runId, options.writerOptions);
  }
  const malformedNote = describeMalformed(plan.malformed).join("; ");
  return RunWriter.create(
    workspace,
    {
      run_id: runId,
      model,
      task: { name: plan.task.name, variant: plan.task.variant, hash: plan.task.hash, config: plan.task.config },
      suite: options.suite,
      harness: { name: harness.name, config: harness.config },
      experiment: options.experiment ?? null,
      tags: options.tags ?? [],
      seed: options.seed,
      counts: { planned: plan.planned },
      primary_metric: metricKey(plan.task.config.primary_metric, plan.task.config),
      metrics: declaredMetrics(plan.task.config),
      source: { kind: options.sourceKind ?? "run" },
      notes: [options.notes, malformedNote].filter(Boolean).join("\n") || null,
    },
    options.writerOptions,
  );
}

/**
 * Runs one planned task into one run: opens (or resumes) it, sends what is not recorded yet,
 * and finalizes it. A fatal endpoint refusal marks the run failed and is rethrown; cancellation
 * marks it cancelled (resumable).
 */
export async function runTask(options: RunTaskOptions): Promise<RunOutcome> {
  const { plan } = options;
  const runId = options.runId ?? runIdFor(plan.task.spec, options.model, plan.task.hash);
  // A bucket workspace: the run is written in this machine's mirror of it, and uploaded as it goes.
  const remote = isS3Url(options.workspace) ? new S3RunSync(options.workspace, runId) : null;
  await remote?.pull();
  const local = { ...options, workspace: remote?.local ?? options.workspace, writerOptions: remote ? { ...options.writerOptions, onJournal: remote.onJournal } : options.writerOptions };
  const opened = openWriter(local, runId, remote ? remote.shown : runDir(options.workspace, runId));
  if (!(opened instanceof RunWriter)) return { runId, manifest: opened, alreadyComplete: true, progress: null };
  const writer = opened;
  /** Ends the run in the bucket too; the upload's failure is the run's unless the run failed already. */
  const settle = async (manifest: RunManifest, failure?: unknown) => {
    await remote?.finish(manifest).catch((error: Error) => {
      if (failure === undefined) throw error;
      // the sync's own failure (an upload) ended the run: said once
      if (error !== failure) (failure as Error).message += `; and ${error.message}`;
    });
    return manifest;
  };
  try {
    await remote?.claim();
  } catch (error) {
    writer.end("failed", (error as Error).message);
    throw error;
  }
  options.onStart?.(runId);
  let progress: Progress;
  try {
    progress = await executeTask({ plan, provider: options.provider, harness: options.harness.config, writer, seed: options.seed, signal: options.signal, sandboxes: options.sandboxes ?? null, judge: options.judge ?? null, onProgress: options.onProgress });
  } catch (error) {
    const ended = interruptedByFullDisk(writer, error) ?? writer.end("failed", error instanceof FatalRequestError || remote?.failed(error) ? (error as Error).message : `the runner crashed: ${(error as Error).stack ?? error}`);
    await settle(ended, error);
    throw error;
  }
  if (options.signal.aborted) {
    if (options.signal.reason instanceof RunFailure) {
      await settle(writer.end("failed", `${options.signal.reason.message}\n--resume finishes the run`), options.signal.reason);
      throw options.signal.reason;
    }
    const status = options.signal.reason === LAUNCHER_GONE ? "interrupted" : "cancelled";
    await settle(writer.end(status, status === "interrupted" ? "the evalbench server that launched this run stopped; --resume finishes it" : "cancelled by the user; --resume finishes it"));
    throw new Error(`run ${runId} ${status} after ${progress.done} of ${progress.total} records; --resume finishes it`);
  }
  let manifest: RunManifest;
  try {
    manifest = writer.finalize();
  } catch (error) {
    const ended = interruptedByFullDisk(writer, error);
    if (ended) await settle(ended, error);
    throw error;
  }
  return { runId, manifest: await settle(manifest), alreadyComplete: false, progress };
}

/** A full disk ends the run interrupted, not failed: once there is room, --resume finishes it. */
function interruptedByFullDisk(writer: RunWriter, error: unknown): RunManifest | null {
  if (!(error instanceof DiskFullError)) return null;
  return writer.end("interrupted", error.message);
}
