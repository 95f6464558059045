import { AppLink } from "@/components/app-link";
import { ComparisonScreen } from "@/components/compare/comparison-screen";
import { resolveComparison } from "@/lib/server/comparison";
import { publishSetting } from "@/lib/server/publish";
import { publishAction } from "./actions";
import { serverWorkspace } from "@/lib/server/workspace";

export const dynamic = "force-dynamic";

/** A candidate against a baseline: the link is decoded and both manifests read here; the rest runs in the browser. */
export default async function ComparePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(await searchParams)) {
    if (value !== undefined) search.set(key, Array.isArray(value) ? value[0] : value);
  }
  const request = await resolveComparison(serverWorkspace(), search);
  if (!request.ok) {
    return (
      <>
        <div className="page-head">
          <h1>Compare</h1>
        </div>
        <p className="callout error" role="alert" data-testid="compare-problem">
          {request.message}
        </p>
        <AppLink href="/">← Pick two runs on the runs page</AppLink>
      </>
    );
  }
  return (
    <ComparisonScreen
      // a swap or another pair is a new comparison: new workers, new state
      key={`${request.view.a}\u0000${request.view.b}`}
      view={request.view}
      a={request.a}
      b={request.b}
      defaultMetric={request.a.manifest.primary_metric}
      metrics={request.metrics}
      notes={request.notes}
      publish={publishSetting() ? publishAction : undefined}
    />
  );
}
