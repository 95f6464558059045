import { loadDemoRuns } from "./actions";
import { BrokenRuns } from "@/components/broken-runs";
import { EmptyWorkspace } from "@/components/empty-workspace";
import { ImportDrop } from "@/components/import-drop";
import { LaunchesPanel } from "@/components/launch/launches-panel";
import { LiveLaunches } from "@/components/launch/live-launches";
import { RunsTable } from "@/components/runs-table";
import { SeriesLinks } from "@/components/series/series-links";
import { ClusterJobsPanel } from "@/components/launch/cluster-jobs-panel";
import { liveMessage } from "@/lib/server/cluster";
import { catalogRows } from "@/lib/query/runs";
import { serverWorkspace } from "@/lib/server/workspace";
import type { CatalogEntry } from "@/lib/workspace/catalog";
import { workspaceRuns } from "@/lib/workspace/store";

export const dynamic = "force-dynamic";

function RunsList({ workspace, entries }: { workspace: string; entries: CatalogEntry[] }) {
  const { runs, broken } = catalogRows(entries);
  return (
    <>
      <div className="page-head">
        <h1>Runs</h1>
        <span className="muted mono">{workspace}</span>
      </div>
      <SeriesLinks runs={runs} />
      <RunsTable runs={runs} />
      <BrokenRuns runs={broken} />
    </>
  );
}

/** The runs list: read from the workspace on the server, sorted and filtered in the browser. */
export default async function RunsPage() {
  const workspace = serverWorkspace();
  const entries = await workspaceRuns(workspace);
  const live = await liveMessage();
  return (
    <LiveLaunches initial={live}>
      <LaunchesPanel />
      <ClusterJobsPanel />
      {entries.length === 0 && live.jobs.length === 0 && !live.workspace?.cluster.length ? <EmptyWorkspace workspace={workspace} loadDemo={loadDemoRuns} /> : <RunsList workspace={workspace} entries={entries} />}
      {/* One place in the tree whether the workspace is empty or not: an import that fills an
          empty workspace keeps its result on screen when the list appears. */}
      <ImportDrop />
    </LiveLaunches>
  );
}
