/**
 * Runs once when the server starts: watchers started from the launch page before a restart start
 * again now, not when a page is next opened (their own state keeps them to once per checkpoint);
 * and the runs list is read into memory now, so the first page opened finds it ready.
 */
export async function register(): Promise<void> {
  // not in the edge runtime, nor while `next build` prerenders pages
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const [{ watchers }, { runsPage, runsQueryFrom }, { serverWorkspace }] = await Promise.all([import("@/lib/server/launches"), import("@/lib/catalog/runs-query"), import("@/lib/server/workspace")]);
  watchers();
  // not awaited: the server answers meanwhile; a failure here is the runs page's to show, when it asks again
  Promise.resolve()
    .then(() => runsPage(serverWorkspace(), runsQueryFrom(new URLSearchParams())))
    .catch((error: Error) => console.error(`evalbench: reading the runs list at start-up failed: ${error.message}`));
}
