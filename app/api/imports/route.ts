import { discardUpload, importOptions, saveUpload, uploadDir, uploadFiles } from "@/lib/importers/uploads";
import { previewImport } from "@/lib/importers/preview";
import { importErrorResponse } from "@/lib/server/import-response";
import { assertSameOrigin } from "@/lib/server/same-origin";
import { serverWorkspace } from "@/lib/server/workspace";

export const dynamic = "force-dynamic";

/** Receives dropped files and answers what importing them would create; nothing is imported yet. */
export async function POST(request: Request): Promise<Response> {
  let token: string | null = null;
  try {
    assertSameOrigin(request);
    const form = await request.formData();
    const options = { ...importOptions(JSON.parse(String(form.get("options") ?? "{}"))), signal: request.signal };
    const files = await Promise.all(
      form.getAll("files").flatMap((file) => (file instanceof File ? [file.arrayBuffer().then((buffer) => ({ name: file.name, bytes: new Uint8Array(buffer) }))] : [])),
    );
    token = saveUpload(files);
    return Response.json({ token, ...(await previewImport(serverWorkspace(), uploadFiles(uploadDir(token)), options)) });
  } catch (error) {
    const response = importErrorResponse(error, token && uploadDir(token));
    if (token) discardUpload(token);
    return response;
  }
}
