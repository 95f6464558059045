import fs from "node:fs";
import { resolveComparison as resolve, type ComparedRun, type ComparisonRequest } from "@/lib/share/comparison";
import { PIN_LENGTH } from "@/lib/share/view-state";
import { RunId } from "@/lib/schema";
import { readRun } from "@/lib/workspace/catalog";
import { runDir } from "@/lib/workspace/paths";

/** A run named by a link: it must exist and be readable. Nothing about the workspace is revealed. */
function findRun(workspace: string, role: "candidate" | "baseline", runId: string): ComparedRun | string {
  if (!RunId.safeParse(runId).success || !fs.existsSync(runDir(workspace, runId))) {
    return `There is no run "${runId}" (the ${role}) in this workspace. It may have been deleted, or the link was made on another workspace; pick two runs on the runs page.`;
  }
  const entry = readRun(workspace, runId, { verify: true });
  if (!entry.ok) return `The ${role} run (${runId}) cannot be read: ${entry.error}`;
  return { manifest: entry.manifest, status: entry.status, pin: entry.manifest.records?.sha256.slice(0, PIN_LENGTH) ?? null };
}

/** What the compare page shows for a URL, its runs read from the workspace. */
export function resolveComparison(workspace: string, search: URLSearchParams): ComparisonRequest {
  return resolve(search, (role, runId) => findRun(workspace, role, runId));
}
