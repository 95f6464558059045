"use client";

import { CopyButtons as Buttons } from "@/components/copy-buttons";
import { markdownSummary, type RunLabel } from "@/lib/compare/markdown";
import type { CompareReport } from "@/lib/compare/report";

/** The comparison's link (the published one once there is one) and its Markdown summary, ending in the link. */
export function CopyButtons({ report, a, b, link }: { report: CompareReport | null; a: RunLabel; b: RunLabel; link: () => string }) {
  return <Buttons link={link} summary={report && (() => markdownSummary(report, a, b, link()))} />;
}
