import { serverWatchers, type Watchers } from "@/lib/cluster/watchers";
import { serverLauncher, type Launcher } from "@/lib/launch/launcher";
import { jobView, type JobView } from "@/lib/launch/view";
import { serverWorkspace } from "./workspace";

/** Jobs shown at once: the newest; older ones stay in the workspace's launches/ folder. */
const SHOWN_JOBS = 50;

export function launcher(): Launcher {
  return serverLauncher(serverWorkspace());
}

export function watchers(): Watchers {
  return serverWatchers(serverWorkspace());
}

/** What the browser is told about launches: job views, newest first. */
export function launchSnapshot(): JobView[] {
  const now = Date.now();
  return launcher().list().slice(0, SHOWN_JOBS).map((job) => jobView(job, now));
}
