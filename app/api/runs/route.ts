import { errorResponse, serverWorkspace } from "@/lib/server/workspace";
import { listRuns } from "@/lib/workspace/catalog";

export const dynamic = "force-dynamic";

/** The catalog: every run's manifest, or the reason a run cannot be read. */
export function GET(): Response {
  try {
    return Response.json({ workspace: serverWorkspace(), runs: listRuns(serverWorkspace()) });
  } catch (error) {
    return errorResponse(error);
  }
}
