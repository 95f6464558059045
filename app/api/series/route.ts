import { SeriesInputError } from "@/lib/series/lines";
import { seriesPartOnDisk, seriesReportOnDisk } from "@/lib/series/on-disk";
import type { SeriesPart } from "@/lib/series/report";
import { decodeSeriesView, seriesOptions } from "@/lib/series/view";
import { errorResponse, serverWorkspace } from "@/lib/server/workspace";

export const dynamic = "force-dynamic";

/** `part=flips&of=I`, `part=differences&of=I` (line I against the first) or `part=changes`; none: the whole report. */
function partOf(params: URLSearchParams): SeriesPart | null {
  const part = params.get("part");
  if (part === null) return null;
  if (part === "changes") return { part };
  const line = Number(params.get("of"));
  if ((part === "flips" || part === "differences") && Number.isInteger(line) && line >= 0) return { part, line };
  throw new SeriesInputError(`part=${part}&of=${params.get("of")} is not a part of a series: part=flips|differences&of=LINE, or part=changes`);
}

/** The series' paired figures: the whole report (what `evalbench series --json` prints), or one part of it for the page. */
export async function GET(request: Request): Promise<Response> {
  try {
    const params = new URL(request.url).searchParams;
    const options = seriesOptions(decodeSeriesView(params));
    const part = partOf(params);
    return Response.json(part ? await seriesPartOnDisk(serverWorkspace(), options, part) : await seriesReportOnDisk(serverWorkspace(), options));
  } catch (error) {
    return errorResponse(error);
  }
}
