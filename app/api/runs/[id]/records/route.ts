import { errorResponse, serverWorkspace } from "@/lib/server/workspace";
import { rangeResponse } from "@/lib/workspace/serve";
import { confineRun, runRecordsBody } from "@/lib/workspace/store";

export const dynamic = "force-dynamic";

/** A run's records as Parquet (the finalized file, or a snapshot of an open run), with ranges. */
async function serve(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const { id } = await params;
    confineRun(serverWorkspace(), id); // before any use
    return rangeResponse(await runRecordsBody(serverWorkspace(), id), request);
  } catch (error) {
    return errorResponse(error);
  }
}

export { serve as GET, serve as HEAD };
