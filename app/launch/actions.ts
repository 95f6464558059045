"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { formRequests } from "@/lib/launch/form";
import { slurmFromForm } from "@/lib/cluster/form";
import type { SlurmOptions } from "@/lib/cluster/slurm";
import { launcherSettings, type EndpointTest } from "@/lib/launch/launcher";
import { isValidationError, LaunchValidationError, type FieldErrors, type LaunchRequestInput } from "@/lib/launch/request";
import type { RunConfig } from "@/lib/runner/launch";
import { listJobs } from "@/lib/cluster/jobs";
import { launcher, watchers } from "@/lib/server/launches";
import { watchFromForm } from "@/lib/cluster/watch-request";
import type { WatcherView } from "@/lib/cluster/watcher-view";
import { serverWorkspace } from "@/lib/server/workspace";
import { assertActionSameOrigin } from "@/lib/server/same-origin";

export interface LaunchFormState {
  errors: FieldErrors;
}

/**
 * Every field's problem in one answer: the form's own (numbers, series lines) and the server's
 * checks of each request it makes; with no task picked, the shared fields are still checked.
 */
function formProblems(form: FormData): { requests: LaunchRequestInput[]; errors: FieldErrors } {
  const { requests, common, errors } = formRequests(form);
  const l = launcher();
  for (const request of requests.length > 0 ? requests : [common]) {
    try {
      l.validate(request);
    } catch (error) {
      if (!(error instanceof LaunchValidationError)) throw error;
      for (const [field, message] of Object.entries(error.fields)) errors[field] ??= message;
    }
  }
  return { requests, errors };
}

/**
 * The launch form: every run it asks for is validated before any is queued (a series with one bad
 * line queues nothing), then queued, and the browser goes to the runs list to watch them.
 */
export async function launchFromForm(_previous: LaunchFormState, form: FormData): Promise<LaunchFormState> {
  await assertActionSameOrigin();
  const { requests, errors } = formProblems(form);
  const slurm = slurmFromForm(form, errors);
  if (Object.keys(errors).length > 0) return { errors };
  if (slurm) return submitToSlurm(form, requests, slurm);
  const l = launcher();
  try {
    l.checkRoom(requests.length);
  } catch (error) {
    if (error instanceof LaunchValidationError) return { errors: error.fields };
    throw error;
  }
  for (const request of requests) l.launch(request);
  revalidatePath("/");
  redirect("/");
}

/**
 * "Test endpoint": the form checked as for a launch, then the endpoint asked for its models and
 * the plan of every picked task printed (the first checkpoint's, for a series); nothing is queued.
 */
export async function testEndpointFromForm(form: FormData): Promise<{ errors: FieldErrors; test: EndpointTest | null }> {
  await assertActionSameOrigin();
  const { requests, errors } = formProblems(form);
  if (Object.keys(errors).length > 0) return { errors, test: null };
  const first = requests[0];
  const tasks = [...new Set(requests.filter((r) => r.checkpoint === first.checkpoint).flatMap((r) => r.tasks))];
  try {
    return { errors: {}, test: await launcher().test({ ...first, tasks }) };
  } catch (error) {
    if (error instanceof LaunchValidationError) return { errors: error.fields, test: null };
    throw error;
  }
}

/**
 * The form's runs as Slurm jobs: validated as any launch, then one job per checkpoint running all
 * the tasks (a job array), recorded in the workspace like jobs submitted by the CLI.
 */
async function submitToSlurm(form: FormData, requests: LaunchRequestInput[], slurm: SlurmOptions): Promise<LaunchFormState> {
  if (form.get("api_key")) return { errors: { api_key: "a Slurm job is not given an API key from the app (Slurm keeps a job's environment in its state files); use a cluster endpoint without one, or evalbench run --executor slurm with --api-key-env" } };
  const { submitSeries } = await import("@/lib/cluster/submit");
  let config: RunConfig;
  try {
    config = requests.map((request) => launcher().validate(request).config)[0];
  } catch (error) {
    if (error instanceof LaunchValidationError) return { errors: error.fields };
    throw error;
  }
  const points = [...new Map(requests.map((r) => [`${r.checkpoint} ${r.step} ${r.served_model}`, { checkpoint: r.checkpoint ?? null, step: r.step ?? null, served_model: r.served_model ?? null }])).values()];
  const tasks = [...new Set(requests.flatMap((r) => r.tasks))];
  const settings = launcherSettings(serverWorkspace());
  try {
    await submitSeries({ ...config, tasks }, points, slurm, { node: process.execPath, script: settings.cli });
  } catch (error) {
    return { errors: { executor: (error as Error).message } };
  }
  revalidatePath("/");
  redirect("/");
}

/** Cancel, re-run or resume: the error, if any, in words for the page. */
async function act(fn: () => void): Promise<{ error: string | null }> {
  await assertActionSameOrigin();
  try {
    fn();
    revalidatePath("/");
    return { error: null };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

export async function cancelJob(jobId: string): Promise<{ error: string | null }> {
  return act(() => launcher().cancel(jobId));
}

export async function rerunJob(jobId: string): Promise<{ error: string | null }> {
  return act(() => void launcher().rerun(jobId));
}

export async function dismissJobs(jobIds: string[]): Promise<{ error: string | null }> {
  return act(() => {
    // the ids come from the browser: a list of strings, or nothing is dismissed
    if (!Array.isArray(jobIds) || !jobIds.every((id) => typeof id === "string")) throw new Error("dismiss takes a list of job ids");
    launcher().dismiss(jobIds);
  });
}

export async function resumeRun(runId: string): Promise<{ error: string | null }> {
  return act(() => void launcher().resume(runId));
}

/** scancel of a cluster job listed in the workspace: its run stops after the requests in flight, keeping what it recorded. */
export async function cancelClusterJob(jobId: string): Promise<{ error: string | null }> {
  await assertActionSameOrigin();
  try {
    const { cancelJob } = await import("@/lib/cluster/slurm");
    if (!listJobs(serverWorkspace()).some((job) => job.id === jobId)) throw new Error(`no cluster job ${jobId} in this workspace`);
    await cancelJob(jobId);
    revalidatePath("/");
    return { error: null };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** "Watch a folder": the form checked (every field's problem at once, in its words), then an `evalbench watch` child started. */
export async function startWatcherFromForm(form: FormData): Promise<{ errors: FieldErrors; watchers: WatcherView[] }> {
  await assertActionSameOrigin();
  const { request, errors } = watchFromForm(form);
  const w = watchers();
  if (Object.keys(errors).length > 0) return { errors, watchers: w.list() };
  try {
    w.start(request);
  } catch (error) {
    if (isValidationError(error)) return { errors: error.fields, watchers: w.list() };
    throw error;
  }
  return { errors: {}, watchers: w.list() };
}

export async function stopWatcher(id: string): Promise<{ error: string | null; watchers: WatcherView[] }> {
  await assertActionSameOrigin();
  try {
    if (typeof id !== "string") throw new Error("stop takes a watcher id");
    watchers().stop(id);
    return { error: null, watchers: watchers().list() };
  } catch (error) {
    return { error: (error as Error).message, watchers: watchers().list() };
  }
}

/** The watchers with their counts, for the launch page to follow them. */
export async function listWatchers(): Promise<WatcherView[]> {
  await assertActionSameOrigin();
  return watchers().list();
}
