import { trajectoriesOnDisk } from "@/lib/series/on-disk";
import { decodeSeriesView, seriesOptions } from "@/lib/series/view";
import { errorResponse, serverWorkspace } from "@/lib/server/workspace";

export const dynamic = "force-dynamic";

/** Every question's scores along one line (`traj`, an index into the lines). */
export async function GET(request: Request): Promise<Response> {
  try {
    const view = decodeSeriesView(new URL(request.url).searchParams);
    return Response.json(await trajectoriesOnDisk(serverWorkspace(), seriesOptions(view), view.traj));
  } catch (error) {
    return errorResponse(error);
  }
}
