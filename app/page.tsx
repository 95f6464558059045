import { loadDemoRuns } from "./actions";
import { EmptyWorkspace } from "@/components/empty-workspace";
import { ImportDrop } from "@/components/import-drop";
import { LaunchesPanel } from "@/components/launch/launches-panel";
import { LiveLaunches } from "@/components/launch/live-launches";
import { RunsCatalog } from "@/components/runs-table";
import { ClusterJobsPanel } from "@/components/launch/cluster-jobs-panel";
import { liveMessage } from "@/lib/server/cluster";
import { PAGE_SIZE, runsPage, runsQueryFrom, type RunsPage } from "@/lib/catalog/runs-query";
import { serverWorkspace } from "@/lib/server/workspace";

export const dynamic = "force-dynamic";

function RunsList({ workspace, page }: { workspace: string; page: RunsPage }) {
  return (
    <>
      <div className="page-head">
        <h1>Runs</h1>
        <span className="muted mono">{workspace}</span>
      </div>
      <RunsCatalog initial={page} />
    </>
  );
}

/** The runs list: the first page rendered here from the catalog's index; sorted, filtered and paged on the server. */
export default async function RunsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const workspace = serverWorkspace();
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(await searchParams)) for (const v of [value ?? []].flat()) params.append(key, v);
  params.set("limit", String(PAGE_SIZE));
  // an address whose page is not a number opens the first page
  let query;
  try {
    query = runsQueryFrom(params);
  } catch {
    params.delete("page");
    query = runsQueryFrom(params);
  }
  const [page, live] = await Promise.all([runsPage(workspace, query), liveMessage()]);
  const empty = page.total === 0 && page.broken.length === 0;
  return (
    <LiveLaunches initial={live}>
      <LaunchesPanel />
      <ClusterJobsPanel />
      {empty && live.jobs.length === 0 && !live.workspace?.cluster.length ? <EmptyWorkspace workspace={workspace} loadDemo={loadDemoRuns} /> : <RunsList workspace={workspace} page={page} />}
      {/* One place in the tree whether the workspace is empty or not: an import that fills an
          empty workspace keeps its result on screen when the list appears. */}
      <ImportDrop />
    </LiveLaunches>
  );
}
