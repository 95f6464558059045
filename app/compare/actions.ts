"use server";

import { RunId } from "@/lib/schema";
import { publishComparison, publishSetting } from "@/lib/server/publish";
import { assertActionSameOrigin } from "@/lib/server/same-origin";
import { serverWorkspace } from "@/lib/server/workspace";

/** Publishes the comparison of A against B (EVALBENCH_PUBLISH); the viewer's folder address, or why not. */
export async function publishAction(a: string, b: string): Promise<{ base: string } | { error: string }> {
  await assertActionSameOrigin();
  const setting = publishSetting();
  if (!setting) return { error: "publishing is not configured: start the app with EVALBENCH_PUBLISH set" };
  if (!RunId.safeParse(a).success || !RunId.safeParse(b).success) return { error: "not a run id" };
  try {
    return { base: await publishComparison(serverWorkspace(), setting, a, b) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
