import { resolveWorkspace } from "@/lib/workspace/paths";

/** The workspace this server serves, fixed at start from EVALBENCH_WORKSPACE (default ./workspace). */
export function serverWorkspace(): string {
  return resolveWorkspace();
}

/** A JSON error body with the status that names the failure. */
export function errorResponse(error: unknown): Response {
  const status = (error as { status?: number }).status ?? 500;
  return Response.json({ error: (error as Error).message }, { status });
}
