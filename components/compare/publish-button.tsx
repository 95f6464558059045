"use client";

import { useState } from "react";

interface Props {
  publish: () => Promise<{ base: string } | { error: string }>;
  onPublished: (base: string) => void;
  /** The published link, once there is one. */
  link: string | null;
}

/** "Publish": writes a read-only viewer of this comparison where EVALBENCH_PUBLISH says, then shows its link. */
export function PublishButton({ publish, onPublished, link }: Props) {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const run = async () => {
    setState({ busy: true, error: null });
    const result = await publish().catch((error: unknown) => ({ error: `publishing failed: ${(error as Error).message}` }));
    if ("error" in result) return setState({ busy: false, error: result.error });
    setState({ busy: false, error: null });
    onPublished(result.base);
  };
  return (
    <>
      {state.error && (
        <span className="callout error" role="alert" data-testid="publish-error">
          {state.error}
        </span>
      )}
      {link && (
        <a href={link} target="_blank" rel="noopener noreferrer" className="muted" data-testid="published-link" title="Copy link and Copy summary now give this link">
          published viewer ↗
        </a>
      )}
      {!link && (
        <button type="button" className="button" data-testid="publish" disabled={state.busy} onClick={run} title="Copy the two runs into a read-only viewer anyone with the link can open">
          {state.busy ? "Publishing…" : "Publish"}
        </button>
      )}
    </>
  );
}
