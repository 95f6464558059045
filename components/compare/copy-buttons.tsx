"use client";

import { useState } from "react";
import { markdownSummary, type RunLabel } from "@/lib/compare/markdown";
import type { CompareReport } from "@/lib/compare/report";

/** "Copy link" and "Copy summary" (Markdown for a code review, ending in the link). */
export function CopyButtons({ report, a, b }: { report: CompareReport | null; a: RunLabel; b: RunLabel }) {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async (what: string, text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(`${what} copied`);
    } catch {
      setCopied(`the browser refused clipboard access; ${what} not copied`);
    }
    setTimeout(() => setCopied(null), 2500);
  };
  return (
    <>
      {copied && (
        <span className="muted" role="status" data-testid="copy-status">
          {copied}
        </span>
      )}
      <button type="button" className="button" data-testid="copy-link" onClick={() => copy("Link", window.location.href)}>
        Copy link
      </button>
      <button
        type="button"
        className="button primary"
        data-testid="copy-summary"
        disabled={!report}
        onClick={() => report && copy("Summary", markdownSummary(report, a, b, window.location.href))}
      >
        Copy summary
      </button>
    </>
  );
}
