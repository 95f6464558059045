import { seriesReportOnDisk } from "@/lib/series/on-disk";
import { decodeSeriesView, seriesOptions } from "@/lib/series/view";
import { errorResponse, serverWorkspace } from "@/lib/server/workspace";

export const dynamic = "force-dynamic";

/** The whole series report (what `evalbench series --json` prints) for the page's paired figures. */
export async function GET(request: Request): Promise<Response> {
  try {
    const view = decodeSeriesView(new URL(request.url).searchParams);
    return Response.json(await seriesReportOnDisk(serverWorkspace(), seriesOptions(view)));
  } catch (error) {
    return errorResponse(error);
  }
}
