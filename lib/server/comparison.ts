import { resolveComparison as resolve, type ComparedRun, type ComparisonRequest } from "@/lib/share/comparison";
import { decodeView, PIN_LENGTH } from "@/lib/share/view-state";
import { RunId } from "@/lib/schema";
import type { CatalogEntry } from "@/lib/workspace/catalog";
import { runExists, workspaceRun } from "@/lib/workspace/store";

/** A run named by a link, read from the workspace; null when there is no such run. */
async function readLinkedRun(workspace: string, runId: string): Promise<CatalogEntry | null> {
  if (!RunId.safeParse(runId).success || !(await runExists(workspace, runId))) return null;
  return workspaceRun(workspace, runId, { verify: true });
}

/** A run named by a link: it must exist and be readable. Nothing about the workspace is revealed. */
function linkedRun(role: "candidate" | "baseline", runId: string, entry: CatalogEntry | null | undefined): ComparedRun | string {
  if (!entry) return `There is no run "${runId}" (the ${role}) in this workspace. It may have been deleted, or the link was made on another workspace; pick two runs on the runs page.`;
  if (!entry.ok) return `The ${role} run (${runId}) cannot be read: ${entry.error}`;
  return { manifest: entry.manifest, status: entry.status, pin: entry.manifest.records?.sha256.slice(0, PIN_LENGTH) ?? null };
}

/** What the compare page shows for a URL, its runs read from the workspace (a folder or a bucket). */
export async function resolveComparison(workspace: string, search: URLSearchParams): Promise<ComparisonRequest> {
  let ids: string[] = [];
  try {
    const view = decodeView(search);
    ids = [view.a, view.b];
  } catch {
    // a bad link: resolve() says what is wrong with it
  }
  const entries = new Map(await Promise.all(ids.map(async (id) => [id, await readLinkedRun(workspace, id)] as const)));
  return resolve(search, (role, runId) => linkedRun(role, runId, entries.get(runId)));
}
