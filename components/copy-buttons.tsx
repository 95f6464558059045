"use client";

import { useState } from "react";

/**
 * "Copy link" and "Copy summary": the page's address (or `link`, say the published viewer's), and
 * Markdown for a code review made by `summary` (null while there is none yet). Says what was
 * copied, or why the browser refused.
 */
export function CopyButtons({ summary, link = () => window.location.href }: { summary: (() => string | Promise<string>) | null; link?: () => string }) {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async (what: string, text: () => string | Promise<string>) => {
    try {
      await navigator.clipboard.writeText(await text());
      setCopied(`${what} copied`);
    } catch (error) {
      setCopied(error instanceof DOMException ? `the browser refused clipboard access; ${what} not copied` : `${what} not copied: ${(error as Error).message}`);
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
      <button type="button" className="button" data-testid="copy-link" onClick={() => copy("Link", link)}>
        Copy link
      </button>
      <button type="button" className="button primary" data-testid="copy-summary" disabled={!summary} onClick={() => summary && copy("Summary", summary)}>
        Copy summary
      </button>
    </>
  );
}
