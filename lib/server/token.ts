import { createHash, timingSafeEqual } from "node:crypto";

/** The cookie a browser keeps the token in after opening the app once with `?token=`. */
export const TOKEN_COOKIE = "evalbench_token";

export interface TokenSettings {
  /** EVALBENCH_TOKEN: required to launch, cancel or write anything; null when unset (loopback use). */
  token: string | null;
  /** EVALBENCH_TOKEN_READS=1: reading (pages, runs, files, progress) requires it too. */
  reads: boolean;
}

export function tokenSettings(env: Record<string, string | undefined> = process.env): TokenSettings {
  return { token: env.EVALBENCH_TOKEN || null, reads: env.EVALBENCH_TOKEN_READS === "1" };
}

/** Constant-time comparison, so response timing does not reveal how much of a guess was right. */
export function tokenMatches(given: string | null | undefined, expected: string): boolean {
  if (!given) return false;
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The token a request carries: `Authorization: Bearer ...` (scripts) or the cookie (browsers). */
export function presentedToken(authorization: string | null, cookie: string | undefined): string | null {
  const bearer = authorization?.match(/^Bearer (.+)$/)?.[1];
  return bearer ?? cookie ?? null;
}

const READ_METHODS = ["GET", "HEAD", "OPTIONS"];

/**
 * Why a request may not go through, or null when it may: with a token set, anything but a read
 * needs it (launching, cancelling, imports, server actions), and reads need it when the setting
 * says so.
 */
export function accessProblem(method: string, presented: string | null, settings: TokenSettings): string | null {
  if (settings.token === null) return null;
  if (!settings.reads && READ_METHODS.includes(method)) return null;
  if (tokenMatches(presented, settings.token)) return null;
  return presented
    ? "the evalbench token this browser sent is wrong: open the app again with ?token=THE_TOKEN"
    : "this evalbench needs its token (EVALBENCH_TOKEN): open the app once with ?token=THE_TOKEN, or send Authorization: Bearer THE_TOKEN";
}
