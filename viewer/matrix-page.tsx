import { MatrixScreen } from "@/components/series/matrix-screen";

/** The app's matrix page over the matrix computed at publish time. */
export function MatrixPage() {
  const runs = new URLSearchParams(window.location.search).getAll("run");
  return (
    <>
      <div className="page-head">
        <a href="index.html" className="muted">
          Runs /
        </a>
        <h1>Matrix</h1>
        <span className="muted">every pair of runs of one task, question by question</span>
      </div>
      <MatrixScreen query={new URLSearchParams(runs.map((r) => ["run", r])).toString()} />
    </>
  );
}
