"use client";

import { useState } from "react";
import { seriesMarkdown } from "@/lib/series/markdown";
import type { SeriesReport } from "@/lib/series/report";
import type { SuiteReport } from "@/lib/series/suite";

/** "Copy link" and "Copy summary" (Markdown for a code review, ending in the link). */
export function CopyButtons({ load }: { load: () => Promise<SeriesReport | SuiteReport> }) {
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
        onClick={() =>
          load().then(
            (report) => copy("Summary", `${seriesMarkdown(report)}\n\n${window.location.href}`),
            (error: Error) => setCopied(`summary not copied: ${error.message}`),
          )
        }
      >
        Copy summary
      </button>
    </>
  );
}
