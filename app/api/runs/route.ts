import type { NextRequest } from "next/server";
import { runsPage, runsQueryFrom } from "@/lib/catalog/runs-query";
import { errorResponse, serverWorkspace } from "@/lib/server/workspace";

export const dynamic = "force-dynamic";

/**
 * The runs table, one page at a time: `sort`, `filter.<column>`, `offset` (or `page`) and `limit`
 * (at most 1,000), read from the catalog's index; with the broken runs and the model lines.
 */
export async function GET(request: NextRequest): Promise<Response> {
  try {
    return Response.json({ workspace: serverWorkspace(), ...(await runsPage(serverWorkspace(), runsQueryFrom(request.nextUrl.searchParams))) });
  } catch (error) {
    return errorResponse(error);
  }
}
