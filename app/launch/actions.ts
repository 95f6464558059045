"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { formRequests } from "@/lib/launch/form";
import { LaunchValidationError, type FieldErrors, type LaunchRequestInput } from "@/lib/launch/request";
import type { EndpointTest } from "@/lib/launch/launcher";
import { launcher } from "@/lib/server/launches";
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
  if (Object.keys(errors).length > 0) return { errors };
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
