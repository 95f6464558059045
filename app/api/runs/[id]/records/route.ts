import { errorResponse, serverWorkspace } from "@/lib/server/workspace";
import { runRecords } from "@/lib/workspace/records-source";
import { rangeResponse, resolveWorkspacePath } from "@/lib/workspace/serve";
import { RUNS_DIR } from "@/lib/workspace/paths";

export const dynamic = "force-dynamic";

/** A run's records as Parquet (the finalized file, or a snapshot of an open run), with ranges. */
async function serve(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const { id } = await params;
    resolveWorkspacePath(serverWorkspace(), [RUNS_DIR, id]); // confines the id before any use
    return rangeResponse(runRecords(serverWorkspace(), id), request);
  } catch (error) {
    return errorResponse(error);
  }
}

export { serve as GET, serve as HEAD };
