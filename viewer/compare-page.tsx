import { ComparisonScreen } from "@/components/compare/comparison-screen";
import type { PublishedIndex } from "@/lib/publish/published-index";
import { resolveComparison } from "@/lib/share/comparison";
import { publishedUrls } from "./published-urls";

/** The app's compare page over the published copies of the runs. */
export function ComparePage({ index }: { index: PublishedIndex }) {
  const runs = new Map(index.runs.map((run) => [run.manifest.run_id, run]));
  const request = resolveComparison(new URLSearchParams(window.location.search), (role, runId) => {
    const run = runs.get(runId);
    if (!run) return `There is no run "${runId}" (the ${role}) in this published viewer; it holds ${[...runs.keys()].join(", ")}. Open its home page to pick two.`;
    return { ...run, urls: publishedUrls(run) };
  });
  if (!request.ok) {
    return (
      <>
        <div className="page-head">
          <h1>Compare</h1>
        </div>
        <p className="callout error" role="alert" data-testid="compare-problem">
          {request.message}
        </p>
        <a href="index.html">← The published runs</a>
      </>
    );
  }
  const notes = index.text ? request.notes : [...request.notes, "Published without text: prompts, responses and targets are not in this viewer; scores and ids are."];
  return <ComparisonScreen view={request.view} a={request.a} b={request.b} defaultMetric={request.a.manifest.primary_metric} metrics={request.metrics} notes={notes} />;
}
