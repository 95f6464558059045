import { loadDemoRuns } from "./actions";
import { BrokenRuns } from "@/components/broken-runs";
import { EmptyWorkspace } from "@/components/empty-workspace";
import { ImportDrop } from "@/components/import-drop";
import { RunsTable } from "@/components/runs-table";
import { catalogRows } from "@/lib/query/runs";
import { serverWorkspace } from "@/lib/server/workspace";
import { listRuns } from "@/lib/workspace/catalog";

export const dynamic = "force-dynamic";

/** The runs list: read from the workspace on the server, sorted and filtered in the browser. */
export default function RunsPage() {
  const workspace = serverWorkspace();
  const entries = listRuns(workspace);
  if (entries.length === 0) {
    return (
      <>
        <EmptyWorkspace workspace={workspace} loadDemo={loadDemoRuns} />
        <ImportDrop />
      </>
    );
  }
  const { runs, broken } = catalogRows(entries);
  return (
    <>
      <div className="page-head">
        <h1>Runs</h1>
        <span className="muted mono">{workspace}</span>
      </div>
      <RunsTable runs={runs} />
      <BrokenRuns runs={broken} />
      <ImportDrop />
    </>
  );
}
