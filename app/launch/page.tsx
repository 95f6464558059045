import { LaunchForm } from "@/components/launch/launch-form";
import { WatchFolder } from "@/components/launch/watch-folder";
import { harnessChoices, taskChoices } from "@/lib/launch/catalog";
import { offeredKeys } from "@/lib/launch/keys";
import { launcherSettings } from "@/lib/launch/launcher";
import { localTasks } from "@/lib/launch/request";
import { isS3Url } from "@/lib/s3/location";
import { watchers } from "@/lib/server/launches";
import { serverWorkspace } from "@/lib/server/workspace";
import { localWorkspace } from "@/lib/workspace/s3/local";

export const dynamic = "force-dynamic";

/** Start runs from the browser: one checkpoint, or a series of checkpoints, on chosen tasks. */
export default function LaunchPage() {
  const settings = launcherSettings(serverWorkspace());
  const harnesses = harnessChoices(settings.harnessFile);
  const bucket = isS3Url(settings.workspace) ? { workspace: settings.workspace, mirror: localWorkspace(settings.workspace) } : null;
  return (
    <>
      <div className="page-head">
        <h1>Launch runs</h1>
        <span className="muted">
          Runs are child processes of this server, {settings.maxRuns} at a time; closing the page does not stop them.
        </span>
      </div>
      {harnesses.error && (
        <p className="callout error" role="alert" data-testid="harness-file-error">
          {harnesses.error}
        </p>
      )}
      <LaunchForm tasks={taskChoices()} harnesses={harnesses.choices} keys={offeredKeys(settings.keys)} data={{ dir: settings.dataDir, tasks: localTasks(settings.dataDir) }} bucket={bucket} />
      <WatchFolder presets={harnesses.choices} initial={watchers().list()} bucket={bucket} />
    </>
  );
}
