import { spawnSync } from "node:child_process";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { proxy } from "@/proxy";
import { hostProblem } from "@/scripts/host-rule.mjs";
import { accessProblem, presentedToken, TOKEN_COOKIE, tokenMatches, tokenSettings } from "./token";

const TOKEN = "0123456789abcdef0123";

describe("host rule of npm start", () => {
  it("loopback needs no token; any other address refuses to start without one", () => {
    for (const host of ["127.0.0.1", "localhost", "::1"]) expect(hostProblem(host, {})).toBeNull();
    expect(hostProblem("0.0.0.0", {})).toMatch(/refusing to listen on 0\.0\.0\.0 without EVALBENCH_TOKEN/);
    expect(hostProblem("0.0.0.0", { EVALBENCH_TOKEN: TOKEN })).toBeNull();
    expect(hostProblem("0.0.0.0", { EVALBENCH_TOKEN: "short" })).toMatch(/EVALBENCH_TOKEN is 5 characters; use at least 16/);
  });

  it("scripts/start.mjs exits with the reason before building or serving anything", () => {
    const out = spawnSync(process.execPath, ["scripts/start.mjs"], { encoding: "utf8", env: { ...process.env, HOST: "0.0.0.0", EVALBENCH_TOKEN: "", PORT: "1" } });
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/^evalbench: refusing to listen on 0\.0\.0\.0 without EVALBENCH_TOKEN/);
  });
});

describe("token rules of the server", () => {
  const writesOnly = tokenSettings({ EVALBENCH_TOKEN: TOKEN });
  const everything = tokenSettings({ EVALBENCH_TOKEN: TOKEN, EVALBENCH_TOKEN_READS: "1" });

  it("without a token set, nothing is asked", () => {
    expect(accessProblem("POST", null, tokenSettings({}))).toBeNull();
  });

  it("with a token, writes need it; reads need it only with EVALBENCH_TOKEN_READS=1", () => {
    for (const read of ["GET", "HEAD", "OPTIONS"]) expect(accessProblem(read, null, writesOnly), read).toBeNull();
    expect(accessProblem("POST", null, writesOnly)).toMatch(/needs its token/);
    expect(accessProblem("POST", "wrong-token", writesOnly)).toMatch(/token this browser sent is wrong/);
    expect(accessProblem("POST", TOKEN, writesOnly)).toBeNull();
    expect(accessProblem("GET", null, everything)).toMatch(/needs its token/);
    expect(accessProblem("GET", TOKEN, everything)).toBeNull();
  });

  it("the token comes from a Bearer header or the cookie, and is compared whole", () => {
    expect(presentedToken(`Bearer ${TOKEN}`, undefined)).toBe(TOKEN);
    expect(presentedToken(null, TOKEN)).toBe(TOKEN);
    expect(presentedToken("Basic x", undefined)).toBeNull();
    expect(presentedToken(`xBearer ${TOKEN}`, undefined)).toBeNull();
    expect(presentedToken(`Bearer ${TOKEN}\nx`, undefined)).toBeNull();
    expect(tokenMatches(TOKEN.slice(0, -1), TOKEN)).toBe(false);
    expect(tokenMatches(`${TOKEN}x`, TOKEN)).toBe(false);
    expect(tokenMatches("", TOKEN)).toBe(false);
  });
});

describe("the proxy enforces them on every request", () => {
  const request = (url: string, init: { method?: string; headers?: Record<string, string> } = {}) =>
    new NextRequest(new URL(url, "http://10.0.0.5:3000"), { ...init, headers: { host: "10.0.0.5:3000", ...init.headers } });
  // a server started on 10.0.0.5 with its token
  const withEnv = <T>(extra: Record<string, string>, fn: () => T): T => {
    const env = { __NEXT_PRIVATE_ORIGIN: "http://10.0.0.5:3000", ...extra };
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      return fn();
    } finally {
      for (const key of Object.keys(env)) if (saved[key] === undefined) delete process.env[key];
      Object.assign(process.env, saved);
    }
  };

  it("?token= sets an HttpOnly same-site cookie and drops the token from the address", () => {
    const response = withEnv({ EVALBENCH_TOKEN: TOKEN }, () => proxy(request(`/launch?token=${TOKEN}&x=1`)));
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("http://10.0.0.5:3000/launch?x=1");
    expect(response.headers.get("set-cookie")).toMatch(new RegExp(`^evalbench_token=${TOKEN}; Path=/; HttpOnly; SameSite=strict`, "i"));
    expect(withEnv({ EVALBENCH_TOKEN: TOKEN }, () => proxy(request("/?token=guess"))).status).toBe(401);
  });

  it("a launch (a server action POST) without the token is refused; with the cookie it goes through", () => {
    const post = (headers: Record<string, string>) => withEnv({ EVALBENCH_TOKEN: TOKEN }, () => proxy(request("/launch", { method: "POST", headers })));
    expect(post({ "next-action": "abc" }).status).toBe(401);
    expect(post({ cookie: `${TOKEN_COOKIE}=${TOKEN}` }).headers.get("x-middleware-next")).toBe("1");
    expect(withEnv({ EVALBENCH_TOKEN: TOKEN }, () => proxy(request("/api/runs"))).headers.get("x-middleware-next")).toBe("1");
    expect(withEnv({ EVALBENCH_TOKEN: TOKEN, EVALBENCH_TOKEN_READS: "1" }, () => proxy(request("/api/runs"))).status).toBe(401);
  });
});
