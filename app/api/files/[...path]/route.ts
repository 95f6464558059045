import { errorResponse, serverWorkspace } from "@/lib/server/workspace";
import { rangeResponse } from "@/lib/workspace/serve";
import { workspaceFileBody } from "@/lib/workspace/store";

export const dynamic = "force-dynamic";

/** Any file inside the workspace (a folder, or a bucket's prefix), with HTTP ranges; nothing outside it. */
async function serve(request: Request, { params }: { params: Promise<{ path: string[] }> }): Promise<Response> {
  try {
    const { path } = await params;
    return rangeResponse(await workspaceFileBody(serverWorkspace(), path), request);
  } catch (error) {
    return errorResponse(error);
  }
}

export { serve as GET, serve as HEAD };
