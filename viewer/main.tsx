// The published viewer's one script: reads the folder's index.json and renders the app's compare,
// run, matrix or series page, or the list of published runs, all from this origin.
import "@/app/globals.css";
import { createRoot } from "react-dom/client";
import type { ReactNode } from "react";
import { COMPARE_PAGE, INDEX_FILE, MATRIX_PAGE, RUN_PAGE, SERIES_PAGE, type PublishedIndex } from "@/lib/publish/published-index";
import { ComparePage } from "./compare-page";
import { HomePage } from "./home-page";
import { MatrixPage } from "./matrix-page";
import { RunPage } from "./run-page";
import { SeriesPage } from "./series-page";
import { setPublishedAnswers } from "./use-json";

function Frame({ index, children }: { index: PublishedIndex | null; children: ReactNode }) {
  return (
    <>
      <header className="topbar">
        <a href="index.html" className="brand">
          evalbench
        </a>
        <nav>
          <span className="faint" data-testid="published-note">
            published {index ? `${index.published_at.slice(0, 16).replace("T", " ")} UTC` : ""} · read-only
          </span>
        </nav>
      </header>
      <main>{children}</main>
    </>
  );
}

async function readIndex(): Promise<PublishedIndex> {
  const response = await fetch(INDEX_FILE);
  if (!response.ok) throw new Error(`${INDEX_FILE} answered ${response.status}`);
  return (await response.json()) as PublishedIndex;
}

const root = createRoot(document.getElementById("root")!);
readIndex().then(
  (index) => {
    setPublishedAnswers(index);
    const on = (page: string) => window.location.pathname.endsWith(`/${page}`);
    const pages: [string, ReactNode][] = [
      [COMPARE_PAGE, <ComparePage key="compare" index={index} />],
      [RUN_PAGE, <RunPage key="run" index={index} />],
      [MATRIX_PAGE, <MatrixPage key="matrix" />],
      [SERIES_PAGE, <SeriesPage key="series" index={index} />],
    ];
    const page = pages.find(([name]) => on(name))?.[1] ?? <HomePage index={index} />;
    root.render(<Frame index={index}>{page}</Frame>);
  },
  (error: unknown) =>
    root.render(
      <Frame index={null}>
        <p className="callout error" role="alert">
          This published viewer cannot read its index ({(error as Error).message}). It may have been removed or be incomplete; ask for a new link.
        </p>
      </Frame>,
    ),
);
