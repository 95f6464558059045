import { revalidatePath } from "next/cache";
import { importPaths } from "@/lib/importers";
import { previewImport } from "@/lib/importers/preview";
import { discardUpload, importOptions, uploadDir, uploadFiles } from "@/lib/importers/uploads";
import { importErrorResponse } from "@/lib/server/import-response";
import { assertSameOrigin } from "@/lib/server/same-origin";
import { serverWorkspace } from "@/lib/server/workspace";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ token: string }> };

/**
 * `{options, confirm: false}` detects again with changed options; `{options, confirm: true}`
 * imports, all or nothing, and removes the upload.
 */
export async function POST(request: Request, { params }: Params): Promise<Response> {
  let dir: string | null = null;
  try {
    assertSameOrigin(request);
    const { token } = await params;
    dir = uploadDir(token);
    const body = (await request.json()) as { options?: unknown; confirm?: boolean };
    const options = { ...importOptions(body.options), signal: request.signal };
    if (!body.confirm) return Response.json({ token, ...(await previewImport(serverWorkspace(), uploadFiles(dir), options)) });
    const result = await importPaths(serverWorkspace(), uploadFiles(dir), options);
    discardUpload(token);
    revalidatePath("/");
    return Response.json({ created: result.created.map((m) => m.run_id), existing: result.existing, skipped: result.skipped.length });
  } catch (error) {
    return importErrorResponse(error, dir);
  }
}

/** Drops an upload the user decided not to import. */
export async function DELETE(request: Request, { params }: Params): Promise<Response> {
  try {
    assertSameOrigin(request);
    discardUpload((await params).token);
    return new Response(null, { status: 204 });
  } catch (error) {
    return importErrorResponse(error, null);
  }
}
