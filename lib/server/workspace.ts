import { resolveFolderWorkspace, resolveWorkspace } from "@/lib/workspace/paths";

/** The workspace this server serves, fixed at start from EVALBENCH_WORKSPACE (default ./workspace). */
export function serverWorkspace(): string {
  return resolveWorkspace();
}

/** The server's workspace where it must be a folder: an action that cannot work on a bucket yet says so, naming `what` it is. */
export function serverFolderWorkspace(what: string): string {
  return resolveFolderWorkspace(undefined, what);
}

/** A JSON error body with the status that names the failure. */
export function errorResponse(error: unknown): Response {
  const status = (error as { status?: number }).status ?? 500;
  return Response.json({ error: (error as Error).message }, { status });
}
