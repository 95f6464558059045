"use client";

import { CopyButtons as Buttons } from "@/components/copy-buttons";
import { seriesMarkdown } from "@/lib/series/markdown";
import type { SeriesReport } from "@/lib/series/report";
import type { SuiteReport } from "@/lib/series/suite";

/** The series' link and its Markdown summary (the whole report, loaded when asked), ending in the link. */
export function CopyButtons({ load }: { load: () => Promise<SeriesReport | SuiteReport> }) {
  return <Buttons summary={async () => `${seriesMarkdown(await load())}\n\n${window.location.href}`} />;
}
