"use client";

import { CopyButtons as Buttons } from "@/components/copy-buttons";
import { markdownSummary, type RunLabel } from "@/lib/compare/markdown";
import type { CompareReport } from "@/lib/compare/report";

/** The comparison's link and its Markdown summary, ending in the link. */
export function CopyButtons({ report, a, b }: { report: CompareReport | null; a: RunLabel; b: RunLabel }) {
  return <Buttons summary={report && (() => markdownSummary(report, a, b, window.location.href))} />;
}
