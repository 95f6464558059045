import { SeriesInputError } from "@/lib/series/lines";
import { questionAcrossRunsOnDisk } from "@/lib/series/on-disk";
import { errorResponse, serverWorkspace } from "@/lib/server/workspace";
import { confineRun, workspaceRun } from "@/lib/workspace/store";

export const dynamic = "force-dynamic";

/** Cap on the runs one request reads: a line's checkpoints, not the whole workspace. */
const MAX_RUNS = 200;

/** One question (`q` = task/instance_id) in each `run`: prompt, response, target and score side by side. */
export async function GET(request: Request): Promise<Response> {
  try {
    const params = new URL(request.url).searchParams;
    const question = params.get("q");
    const ids = params.getAll("run");
    if (!question) throw new SeriesInputError("name the question with q=task/instance_id");
    if (ids.length === 0 || ids.length > MAX_RUNS) throw new SeriesInputError(`name between 1 and ${MAX_RUNS} runs with run=ID (got ${ids.length})`);
    const workspace = serverWorkspace();
    for (const id of ids) confineRun(workspace, id); // before any use
    const manifests = await Promise.all(
      ids.map(async (id) => {
        const entry = await workspaceRun(workspace, id);
        if (!entry.ok) throw Object.assign(new Error(`run ${id} cannot be read: ${entry.error}`), { status: 404 });
        return entry.manifest;
      }),
    );
    return Response.json(await questionAcrossRunsOnDisk(workspace, manifests, question));
  } catch (error) {
    return errorResponse(error);
  }
}
