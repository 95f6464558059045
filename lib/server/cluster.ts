import { listJobs } from "@/lib/cluster/jobs";
import { WorkspaceProgress } from "@/lib/cluster/progress";
import { jobStates, type JobState } from "@/lib/cluster/slurm";
import { workspaceLive, type WorkspaceLive } from "@/lib/cluster/view";
import type { LiveMessage } from "@/lib/launch/view";
import { launchSnapshot } from "./launches";
import { localWorkspace } from "@/lib/workspace/s3/local";
import { serverWorkspace } from "./workspace";

/** Slurm is asked at most this often, however many pages listen. */
const STATES_TTL_MS = 2000;

interface Cache {
  workspace: string;
  progress: WorkspaceProgress;
  states: { at: number; key: string; value: Promise<Map<string, JobState>> } | null;
}

const GLOBAL_KEY = Symbol.for("evalbench.workspace-live");

function cache(workspace: string): Cache {
  const store = globalThis as unknown as Record<symbol, Cache | undefined>;
  if (store[GLOBAL_KEY]?.workspace !== workspace) store[GLOBAL_KEY] = { workspace, progress: new WorkspaceProgress(workspace), states: null };
  return store[GLOBAL_KEY];
}

/** The workspace's live state: running runs with their progress, cluster jobs with Slurm's states. */
export async function workspaceSnapshot(): Promise<WorkspaceLive> {
  // a bucket workspace: the runs and jobs this machine writes, in its local mirror
  const c = cache(localWorkspace(serverWorkspace()));
  const states = (ids: string[]) => {
    const key = ids.join(",");
    if (!c.states || c.states.key !== key || Date.now() - c.states.at > STATES_TTL_MS) c.states = { at: Date.now(), key, value: jobStates(ids) };
    return c.states.value;
  };
  return workspaceLive(listJobs(c.workspace), await c.progress.running(), states);
}

/** What a page starts with and each server-sent event carries: launches, and the workspace's live state or why it cannot be read. */
export async function liveMessage(): Promise<LiveMessage> {
  const jobs = launchSnapshot();
  try {
    return { jobs, workspace: await workspaceSnapshot(), error: null };
  } catch (error) {
    // an unreadable cluster record, say: the page says so, and the launches still show
    return { jobs, workspace: null, error: `cannot read the workspace's live state: ${(error as Error).message}` };
  }
}
