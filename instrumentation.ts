/**
 * Runs once when the server starts: watchers started from the launch page before a restart start
 * again now, not when a page is next opened (their own state keeps them to once per checkpoint).
 */
export async function register(): Promise<void> {
  // not in the edge runtime, nor while `next build` prerenders pages
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { watchers } = await import("@/lib/server/launches");
  watchers();
}
