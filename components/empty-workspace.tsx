"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { DEMO_RUN_COUNT } from "@/lib/demo/size";

/** The first screen of an empty workspace: what to run next, and a one-click demo. */
export function EmptyWorkspace({ workspace, loadDemo }: { workspace: string; loadDemo: () => Promise<{ error: string | null }> }) {
  const router = useRouter();
  const [loading, startLoading] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [written, setWritten] = useState(0);

  // while the demo is written, count the runs already in the workspace once a second
  useEffect(() => {
    if (!loading) return;
    const timer = setInterval(async () => {
      const response = await fetch("/api/runs").catch(() => null);
      if (response?.ok) setWritten(((await response.json()) as { total: number }).total);
    }, 1000);
    return () => clearInterval(timer);
  }, [loading]);

  const onLoadDemo = () =>
    startLoading(async () => {
      const result = await loadDemo();
      setError(result.error);
      if (!result.error) router.refresh();
    });

  return (
    <div className="empty" data-testid="empty-workspace">
      <h1>No runs yet</h1>
      <p className="muted">
        The workspace <code>{workspace}</code> holds no runs. Evaluate a model, or load the demo runs to look around:
      </p>
      <ol>
        <li>
          Demo runs (simulated checkpoints, no model needed): <code>npx evalbench demo</code>, or the button below.
        </li>
        <li>
          Evaluate a model behind an OpenAI-compatible endpoint: <code>npx evalbench run --task gsm8k --model openai:http://HOST:PORT/v1</code>
        </li>
        <li>
          Import results from another tool (lm-eval-harness, Inspect, EvalPlus, tables): <code>npx evalbench import PATH</code>
        </li>
      </ol>
      <button type="button" className="button primary" onClick={onLoadDemo} disabled={loading} data-testid="load-demo">
        {loading ? "Writing demo runs…" : "Load demo runs"}
      </button>
      {loading && (
        <span className="muted" role="status" data-testid="demo-progress">
          {" "}
          {written} of {DEMO_RUN_COUNT} runs written (about a minute)
        </span>
      )}
      {error && (
        <p className="callout error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
