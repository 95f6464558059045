import { NextResponse, type NextRequest } from "next/server";
import { bodyTooLarge } from "@/lib/server/body-limit";
import { requestRefusal } from "@/lib/server/host";
import { accessProblem, presentedToken, TOKEN_COOKIE, tokenMatches, tokenSettings } from "@/lib/server/token";

/**
 * Runs before every handler. First the server's own rules (lib/server/host.ts): the address it
 * listens on must be allowed, the Host header must be a name it answers to, and a body must fit
 * the limit (lib/server/body-limit.ts). Then the token
 * gate (only when EVALBENCH_TOKEN is set): `?token=` once sets an HttpOnly cookie and drops the
 * token from the address bar; after that, writes (and reads, with EVALBENCH_TOKEN_READS=1) need
 * the cookie or a Bearer header.
 */
export function proxy(request: NextRequest): NextResponse {
  const refusal = requestRefusal(request.headers.get("host"), process.argv, process.env);
  if (refusal) return new NextResponse(`${refusal.message}\n`, { status: refusal.status });
  const tooLarge = bodyTooLarge(request.headers.get("content-length"));
  if (tooLarge) return new NextResponse(`${tooLarge}\n`, { status: 413 });
  const settings = tokenSettings();
  if (settings.token === null) return NextResponse.next();
  const offered = request.nextUrl.searchParams.get("token");
  if (offered !== null) {
    if (!tokenMatches(offered, settings.token)) return new NextResponse("wrong evalbench token\n", { status: 401 });
    const clean = request.nextUrl.clone();
    clean.searchParams.delete("token");
    const response = NextResponse.redirect(clean, 303);
    response.cookies.set(TOKEN_COOKIE, offered, { httpOnly: true, sameSite: "strict", path: "/" });
    return response;
  }
  const problem = accessProblem(request.method, presentedToken(request.headers.get("authorization"), request.cookies.get(TOKEN_COOKIE)?.value), settings);
  return problem ? new NextResponse(`${problem}\n`, { status: 401 }) : NextResponse.next();
}

export const config = {
  // static assets (the build's scripts and styles, DuckDB's wasm) carry nothing of the workspace
  matcher: ["/((?!_next/static|duckdb/).*)"],
};
