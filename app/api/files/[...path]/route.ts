import { errorResponse, serverWorkspace } from "@/lib/server/workspace";
import { rangeResponse, resolveWorkspaceFile } from "@/lib/workspace/serve";

export const dynamic = "force-dynamic";

/** Any file inside the workspace, with HTTP ranges; nothing outside it. */
async function serve(request: Request, { params }: { params: Promise<{ path: string[] }> }): Promise<Response> {
  try {
    const { path } = await params;
    return rangeResponse({ file: resolveWorkspaceFile(serverWorkspace(), path) }, request);
  } catch (error) {
    return errorResponse(error);
  }
}

export { serve as GET, serve as HEAD };
