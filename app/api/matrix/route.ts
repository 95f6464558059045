import { matrixReportOnDisk } from "@/lib/series/on-disk";
import { errorResponse, serverWorkspace } from "@/lib/server/workspace";

export const dynamic = "force-dynamic";

/** The pairwise matrix of the `run`s (what `evalbench matrix --json` prints). */
export async function GET(request: Request): Promise<Response> {
  try {
    const params = new URL(request.url).searchParams;
    return Response.json(await matrixReportOnDisk(serverWorkspace(), params.getAll("run"), params.get("metric") || null));
  } catch (error) {
    return errorResponse(error);
  }
}
