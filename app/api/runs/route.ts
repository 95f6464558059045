import { errorResponse, serverWorkspace } from "@/lib/server/workspace";
import { workspaceRuns } from "@/lib/workspace/store";

export const dynamic = "force-dynamic";

/** The catalog: every run's manifest, or the reason a run cannot be read. */
export async function GET(): Promise<Response> {
  try {
    return Response.json({ workspace: serverWorkspace(), runs: await workspaceRuns(serverWorkspace()) });
  } catch (error) {
    return errorResponse(error);
  }
}
