"use server";

import { revalidatePath } from "next/cache";
import { writeDemoWorkspace } from "@/lib/demo";
import { assertActionSameOrigin } from "@/lib/server/same-origin";
import { serverWorkspace } from "@/lib/server/workspace";

/** Writes the demo runs into the server's workspace (runs already there are kept). */
export async function loadDemoRuns(): Promise<{ error: string | null }> {
  await assertActionSameOrigin();
  try {
    await writeDemoWorkspace(serverWorkspace());
    revalidatePath("/");
    return { error: null };
  } catch (error) {
    return { error: `could not write the demo runs: ${(error as Error).message}` };
  }
}
