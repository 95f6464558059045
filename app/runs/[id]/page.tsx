import { AppLink } from "@/components/app-link";
import { notFound } from "next/navigation";
import { LiveLaunches } from "@/components/launch/live-launches";
import { RunLaunchBar } from "@/components/launch/run-launch-bar";
import { RunView } from "@/components/run-view";
import { previousCheckpoints } from "@/lib/query/previous-checkpoint";
import { parseQuestionRef } from "@/lib/query/question-url";
import { readServerPreview } from "@/lib/query/server-preview";
import { RunId } from "@/lib/schema";
import { serverWorkspace } from "@/lib/server/workspace";
import { liveMessage } from "@/lib/server/cluster";
import { launcher } from "@/lib/server/launches";
import { listCatalog } from "@/lib/catalog/list";
import { runExists, workspaceRun } from "@/lib/workspace/store";

export const dynamic = "force-dynamic";

/** One run: its manifest is read here on the server; its questions load in the browser. */
export default async function RunPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { id } = await params;
  // a valid run id is a plain folder name: nothing else reaches the file system
  if (!RunId.safeParse(id).success || !(await runExists(serverWorkspace(), id))) notFound();
  const entry = await workspaceRun(serverWorkspace(), id);
  if (!entry.ok) {
    return (
      <>
        <div className="page-head">
          <h1 className="mono">{entry.run_id}</h1>
          <span className="badge broken">broken</span>
        </div>
        <p className="callout error" role="alert" data-testid="run-error">
          This run cannot be read: {entry.error}
        </p>
        <AppLink href="/">← All runs</AppLink>
      </>
    );
  }
  const preview = await readServerPreview(serverWorkspace(), id);
  const previousId = entry.status === "complete" ? previousCheckpoints(await listCatalog(serverWorkspace(), { check: false })).get(id) : undefined;
  const previous = previousId ? await workspaceRun(serverWorkspace(), previousId) : null;
  return (
    <LiveLaunches initial={await liveMessage()}>
      <RunView
        manifest={entry.manifest}
        status={entry.status}
        preview={preview}
        linked={parseQuestionRef(await searchParams)}
        actions={
          <RunLaunchBar
            runId={id}
            status={entry.status}
            jobId={launcher().jobForRun(id)?.id ?? null}
            previous={previous?.ok ? { runId: previous.run_id, label: previous.manifest.model.checkpoint ?? previous.run_id } : null}
          />
        }
      />
    </LiveLaunches>
  );
}
