import { RunView } from "@/components/run-view";
import type { PublishedIndex } from "@/lib/publish/published-index";
import { publishedUrls } from "./published-urls";

/** The app's run page (its question browser) over the published copy of the run. */
export function RunPage({ index }: { index: PublishedIndex }) {
  const runId = new URLSearchParams(window.location.search).get("id");
  const run = index.runs.find((r) => r.manifest.run_id === runId);
  if (!run) {
    return (
      <>
        <p className="callout error" role="alert" data-testid="run-error">
          There is no run &quot;{runId}&quot; in this published viewer.
        </p>
        <a href="index.html">← The published runs</a>
      </>
    );
  }
  return <RunView manifest={run.manifest} status={run.status} preview={null} urls={publishedUrls(run)} seriesLink={false} />;
}
