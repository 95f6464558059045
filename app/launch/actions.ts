"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { formRequests } from "@/lib/launch/form";
import { LaunchValidationError, type FieldErrors } from "@/lib/launch/request";
import { launcher } from "@/lib/server/launches";
import { assertActionSameOrigin } from "@/lib/server/same-origin";

export interface LaunchFormState {
  errors: FieldErrors;
}

/**
 * The launch form: every run it asks for is validated before any is queued (a series with one bad
 * line queues nothing), then queued, and the browser goes to the runs list to watch them.
 */
export async function launchFromForm(_previous: LaunchFormState, form: FormData): Promise<LaunchFormState> {
  await assertActionSameOrigin();
  const { requests, errors } = formRequests(form);
  if (Object.keys(errors).length > 0) return { errors };
  const l = launcher();
  try {
    l.checkRoom(requests.length);
    for (const request of requests) l.validate(request);
  } catch (error) {
    if (error instanceof LaunchValidationError) return { errors: error.fields };
    throw error;
  }
  for (const request of requests) l.launch(request);
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

export async function resumeRun(runId: string): Promise<{ error: string | null }> {
  return act(() => void launcher().resume(runId));
}
