import fs from "node:fs";
import path from "node:path";
import { AppLink } from "@/components/app-link";
import { renderDoc } from "@/lib/docs/render";

export const dynamic = "force-static";

/** docs/statistics.md, which the compare page's "?" links open at the term's section. */
export default function StatisticsDoc() {
  const html = renderDoc(fs.readFileSync(path.join(process.cwd(), "docs", "statistics.md"), "utf8"));
  return (
    <>
      <div className="page-head">
        <AppLink href="/" className="muted">
          Runs /
        </AppLink>
        <h1>Statistics</h1>
        <span className="faint">docs/statistics.md</span>
      </div>
      <article className="doc" data-testid="doc" dangerouslySetInnerHTML={{ __html: html }} />
    </>
  );
}
