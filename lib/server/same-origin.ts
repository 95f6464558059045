import { headers } from "next/headers";

/**
 * Refuses a state-changing request that a page of another origin made the browser send: its
 * Origin header must name this server's own host. Browsers always send Origin on such requests.
 */
export function assertSameOrigin(request: { headers: Pick<Headers, "get"> }): void {
  const origin = request.headers.get("origin");
  const host = request.headers.get("host");
  let originHost: string | null = null;
  try {
    originHost = origin ? new URL(origin).host : null;
  } catch {
    originHost = null;
  }
  if (!host || originHost !== host) {
    throw Object.assign(new Error("cross-origin request refused: send it from the evalbench page itself"), { status: 403 });
  }
}

/**
 * The same check for a server action, called first in every one. Next checks an action's Origin
 * too; this says so in evalbench's own words, and cannot be configured away.
 */
export async function assertActionSameOrigin(): Promise<void> {
  assertSameOrigin({ headers: await headers() });
}
